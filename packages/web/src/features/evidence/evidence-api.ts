/** Evidence API shapes (server: modules/evidence/evidence.routes.ts). */
export interface EvidenceVersion {
  version: number;
  fileName: string | null;
  mediaType: string | null;
  size: number | null;
  sha256: string | null;
  url: string | null;
  capturedSha256: string | null;
  createdAt: string;
}

export interface Evidence {
  id: string;
  title: string;
  description: string;
  kind: 'file' | 'link';
  reviewDate: string | null;
  expiresAt: string | null;
  currentVersion: number;
  createdAt: string;
  current: EvidenceVersion | null;
  linkedItems: number;
}

export interface EvidenceDetail extends Evidence {
  versions: EvidenceVersion[];
  items: { itemId: string; ref: string; release: string; product: string }[];
}

/** Days before an expiry or review date that count as "soon". */
export const SOON_DAYS = 30;

/** Whether a date (ISO, date-only) is past or within `SOON_DAYS` from today. */
export const isSoon = (date: string | null, now = Date.now()): boolean =>
  date !== null && new Date(`${date.slice(0, 10)}T00:00:00`).getTime() - now <= SOON_DAYS * 86_400_000;

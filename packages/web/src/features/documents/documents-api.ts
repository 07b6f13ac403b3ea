import type { DocumentType } from '@medsec/core';

/** Controlled-document API shapes (server: modules/documents/documents.routes.ts). */
export const DOCUMENT_TYPES = [
  'procedure',
  'guideline',
  'standard',
  'plan',
  'report',
  'record-template',
  'record',
] as const satisfies readonly DocumentType[];
export const DOCUMENT_STATUSES = ['draft', 'in-review', 'approved', 'obsolete', 'destroyed'] as const;
export type DocumentStatus = (typeof DOCUMENT_STATUSES)[number];
export const MEANINGS = ['author', 'reviewer', 'approver'] as const;
export type Meaning = (typeof MEANINGS)[number];

/** The permission a signature meaning needs (documents.service MEANING_PERMISSION). */
export const MEANING_PERMISSION: Record<Meaning, string> = {
  author: 'documents:write',
  reviewer: 'documents:review',
  approver: 'documents:sign',
};

export const STATUS_COLOR: Record<DocumentStatus, string> = {
  draft: 'gray',
  'in-review': 'blue',
  approved: 'teal',
  obsolete: 'orange',
  destroyed: 'dark',
};

export interface ControlledDocument {
  id: string;
  number: string;
  title: string;
  type: DocumentType;
  productId: string | null;
  revision: number;
  status: DocumentStatus;
  templateKey: string | null;
  manufacturedOn: string | null;
  marketingEndedOn: string | null;
  retentionYears: number;
  retentionAfterMarketYears: number;
  retentionEnd: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface Signature {
  meaning: Meaning;
  signerId: string;
  signerName: string;
  signerRole: string;
  signedAt: string;
  documentSha256: string;
  comment: string;
  valid: boolean;
  problem: string | null;
}

export interface Revision {
  revision: number;
  status: string;
  fileName: string | null;
  mediaType: string | null;
  size: number | null;
  sha256: string | null;
  changeSummary: string;
  createdAt: string;
  approvedAt: string | null;
  signatures: Signature[];
}

export interface DocumentDetail extends ControlledDocument {
  revisions: Revision[];
}

/** The catalog template whose document list is MFDS 2025 붙임1 (QP-006 … REC-SEC-003). */
export const ATTACHMENT1_TEMPLATE = 'procedure-outline';

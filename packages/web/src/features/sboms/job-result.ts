import type { Job } from '@medsec/core';

/** A job that will not change any more. */
export const isFinished = (job: Pick<Job, 'status'> | null | undefined): boolean =>
  job?.status === 'succeeded' || job?.status === 'failed';

/** The order result numbers are shown in: what was read, then what changed. */
const ORDER = [
  'read',
  'components',
  'advisories',
  'created',
  'changed',
  'updated',
  'unchanged',
  'withdrawn',
  'retracted',
  'refused',
  'flagged',
  'issues',
  'errors',
  'rematch',
];

/** Numbers of a job's result (`created: 3`), nested summaries flattened one level (`rematch.created`). */
export const resultNumbers = (result: unknown): { key: string; value: number }[] => {
  if (!result || typeof result !== 'object') {
    return [];
  }
  const out: { key: string; value: number }[] = [];
  for (const [key, value] of Object.entries(result as Record<string, unknown>)) {
    if (typeof value === 'number') {
      out.push({ key, value });
    } else if (Array.isArray(value)) {
      if (value.length > 0) {
        out.push({ key, value: value.length });
      }
    } else if (value && typeof value === 'object') {
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        if (typeof v === 'number') {
          out.push({ key: `${key}.${k}`, value: v });
        }
      }
    }
  }
  const rank = (key: string) => {
    const i = ORDER.indexOf(key.split('.')[0] ?? key);
    return i < 0 ? ORDER.length : i;
  };
  // the server stores results as jsonb, which does not keep the key order
  return out.sort((a, b) => rank(a.key) - rank(b.key));
};

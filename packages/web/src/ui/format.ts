/** Local date-time for people; the UTC value goes in a tooltip. */
export const formatDateTime = (iso: string | null | undefined, locale: string): string =>
  iso
    ? new Date(iso).toLocaleString(locale === 'ko' ? 'ko-KR' : 'en-GB', {
        dateStyle: 'medium',
        timeStyle: 'short',
      })
    : '—';

export const formatDate = (iso: string | null | undefined, locale: string): string =>
  iso ? new Date(iso).toLocaleDateString(locale === 'ko' ? 'ko-KR' : 'en-GB', { dateStyle: 'medium' }) : '—';

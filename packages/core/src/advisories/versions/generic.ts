/**
 * The fallback ordering for ecosystems without a dedicated comparator (CRAN, Hackage, ConanCenter, Linux …)
 * and for the `generic` vers scheme: the version is split into digit and letter runs (other characters only
 * separate); digit runs compare numerically, letter runs case-insensitively, a digit run is newer than a
 * letter run at the same position, and a trailing well-known pre-release word (`alpha`, `beta`, `rc`, `pre`,
 * `dev`, `snapshot`, `preview`, `a`, `b`, `m`) makes a version older than the same version without it.
 */

const PRE_RELEASE = /^(alpha|beta|rc|pre|preview|dev|snapshot|a|b|m|c|milestone)$/i;

type Run = { numeric: true; value: bigint } | { numeric: false; value: string };

const runs = (version: string): Run[] =>
  (version.trim().match(/\d+|[A-Za-z]+/g) ?? []).map((part) =>
    /^\d/.test(part) ? { numeric: true, value: BigInt(part) } : { numeric: false, value: part.toLowerCase() },
  );

/** Compares two versions with the generic rules above: negative, zero or positive. */
export const compareGenericVersions = (a: string, b: string): number => {
  const left = runs(a.replace(/^[vV](?=\d)/, ''));
  const right = runs(b.replace(/^[vV](?=\d)/, ''));
  const n = Math.max(left.length, right.length);
  for (let i = 0; i < n; i++) {
    const x = left[i];
    const y = right[i];
    if (x === undefined || y === undefined) {
      const extra = (x ?? y) as Run;
      const longerIsA = x !== undefined;
      const newer = extra.numeric || !PRE_RELEASE.test(extra.value);
      return newer === longerIsA ? 1 : -1;
    }
    if (x.numeric !== y.numeric) {
      return x.numeric ? 1 : -1;
    }
    if (x.value !== y.value) {
      if (!x.numeric && !y.numeric) {
        const xp = PRE_RELEASE.test(x.value);
        const yp = PRE_RELEASE.test(y.value);
        if (xp !== yp) {
          return xp ? -1 : 1;
        }
      }
      return x.value < y.value ? -1 : 1;
    }
  }
  return 0;
};

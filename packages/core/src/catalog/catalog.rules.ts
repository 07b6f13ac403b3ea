import type { Obligation } from './catalog.schemas.ts';

/**
 * The obligation of a provision from its wording, by the guideline's own rule (MFDS 2025 Ch. I.4, seed 001
 * lines 1868–1872): "~하여야 한다" is mandatory, "~할 수 있다" is recommended. Variants: "~해야 한다",
 * "알려야 한다", "~되어야 한다", and mid-sentence "~하여야 하며". "~할 수 있도록" inside a sentence is not a
 * recommendation; only a sentence (or clause) ending in "수 있다" is. Both in one provision: mixed.
 */
export const obligationOf = (text: string): Obligation => {
  const t = text.replace(/\s+/g, '');
  const mandatory = /야(한다|하며|하고|하나)/.test(t);
  const recommended = /수있다(\.|$|\)|,)/.test(t) || /권고한다|권장한다/.test(t);
  if (mandatory && recommended) {
    return 'mixed';
  }
  if (mandatory) {
    return 'mandatory';
  }
  return recommended ? 'recommended' : 'none';
};

/** Combines the obligations of several provisions (an article from its clauses). */
export const combineObligations = (list: Obligation[]): Obligation => {
  const set = new Set(list.filter((o) => o !== 'none'));
  if (set.size === 0) {
    return 'none';
  }
  if (set.has('mixed') || (set.has('mandatory') && set.has('recommended'))) {
    return 'mixed';
  }
  return set.has('mandatory') ? 'mandatory' : 'recommended';
};

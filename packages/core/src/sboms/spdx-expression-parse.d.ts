// spdx-expression-parse ships no types; this is the part of its API we use.
declare module 'spdx-expression-parse' {
  export interface LicenseLeaf {
    license: string;
    plus?: true;
    exception?: string;
  }
  export interface LicenseConjunction {
    left: LicenseNode;
    conjunction: 'and' | 'or';
    right: LicenseNode;
  }
  export type LicenseNode = LicenseLeaf | LicenseConjunction;
  /** Parses an SPDX licence expression; throws on an unknown licence id or bad syntax. */
  const parse: (source: string) => LicenseNode;
  export default parse;
}

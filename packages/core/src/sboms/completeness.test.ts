import { describe, expect, it } from 'vitest';
import { assessCompleteness } from './completeness.ts';
import { CompletenessReportSchema } from './sboms.schemas.ts';
import { sbomOf } from './sboms.testing.ts';

const CASE_STUDY = ['medical', 'sbom-completeness', 'sboms', 'case-study'];
const names = (list: { name: string }[]): string[] => list.map((m) => m.name).sort();

describe('assessCompleteness: NTIA minimum elements and FDA extras', () => {
  it('matches the hand count for the narrow medical-device SBOM (55 components)', () => {
    // Counted by hand in narrow.sbom.json: every component has a publisher, a purl and a CPE; one has version "";
    // `dependencies` lists all 56 refs without a single dependsOn; "Level of Support" is "Unknown" once and
    // "End-of-Support" "Unknown" seven times.
    const report = assessCompleteness(sbomOf([...CASE_STUDY, 'narrow.sbom.json']));
    expect(CompletenessReportSchema.parse(report)).toEqual(report);
    expect(report.componentCount).toBe(55);
    const present = Object.fromEntries(Object.entries(report.elements).map(([k, v]) => [k, v.present]));
    expect(present).toEqual({
      supplier: 55,
      name: 55,
      version: 54,
      uniqueIdentifier: 55,
      dependencyRelationship: 0,
      supportLevel: 54,
      endOfSupport: 48,
    });
    expect(report.elements.version.missing).toEqual([
      { key: 'BomRef.060212624171178786.9840956843888784', name: 'Qualcomm Atheros QCA9563' },
    ]);
    expect(names(report.elements.supportLevel.missing)).toEqual(['QMScoringAPI']);
    expect(names(report.elements.endOfSupport.missing)).toEqual([
      'Aspose.Words',
      'BouncyCastle',
      'Common.Logging',
      'Common.Logging.Core',
      'QMScoringAPI',
      'VSTOContrib.Autofac',
      'VSTOContrib.Word',
    ]);
    expect(report.elements.dependencyRelationship.missing).toHaveLength(55);
    expect(report.document).toEqual({ author: true, timestamp: true });
    expect(report.ntiaComplete).toBe(false);
    expect(report.fdaComplete).toBe(false);
  });

  it('counts the extended SBOM: six hardware parts without version', () => {
    const report = assessCompleteness(sbomOf([...CASE_STUDY, 'extended.sbom.json']));
    expect(report.componentCount).toBe(65);
    expect(names(report.elements.version.missing)).toEqual([
      'ARM Cortex-M4 Microcontroller',
      'EdgeRouter X',
      'MediaTek MT7621',
      'Qualcomm Atheros QCA9563',
      'Silicon Labs RS9113',
      'UAP-AC-Pro',
    ]);
    expect(report.elements.endOfSupport.present).toBe(58);
  });

  it('sees relationships, suppliers and identifiers in an SPDX SBOM (julia)', () => {
    const report = assessCompleteness(sbomOf(['bom-shelter', 'in-the-wild', 'spdx', 'julia.spdx.json']));
    expect(report.componentCount).toBe(34);
    // 29 dependency edges from the root; the 3 BUILD_TOOL_OF packages and the root itself relate to nothing else
    expect(report.elements.dependencyRelationship.present).toBe(30);
    expect(report.elements.uniqueIdentifier.present).toBe(0);
    expect(report.document).toEqual({ author: true, timestamp: true });
  });

  it('is complete for an SBOM that has everything', () => {
    const sbom = sbomOf([...CASE_STUDY, 'narrow.sbom.json']);
    const [first, second] = sbom.components;
    if (!first || !second) {
      throw new Error('fixture');
    }
    const full = {
      ...sbom,
      components: [first, second].map((c) => ({
        ...c,
        version: '1',
        supportLevel: 'Actively maintained',
        endOfSupport: '2030-01-01',
      })),
      dependencies: [{ from: first.key, to: [second.key] }],
    };
    const report = assessCompleteness(full);
    expect(report.ntiaComplete).toBe(true);
    expect(report.fdaComplete).toBe(true);
    expect(assessCompleteness({ ...full, components: [] }).ntiaComplete).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import {
  countBySeverity,
  countByState,
  decisionSet,
  findingsHref,
  findingsQuery,
  historyLines,
  type Triage,
  triagePatch,
  vexProblem,
} from './findings-api.ts';

const triage = (over: Partial<Triage> = {}): Triage => ({
  state: 'under_investigation',
  justification: '',
  impactStatement: '',
  actionStatement: '',
  remediation: 'none',
  patientSafetyImpact: '',
  cvssEnvironmentalVector: '',
  ...over,
});

describe('findings helpers', () => {
  it('checks the VEX rules the server enforces', () => {
    expect(vexProblem(triage({ state: 'not_affected' }))).toBe('justificationRequired');
    expect(vexProblem(triage({ state: 'not_affected', impactStatement: '  ' }))).toBe(
      'justificationRequired',
    );
    expect(
      vexProblem(triage({ state: 'not_affected', justification: 'vulnerable_code_not_in_execute_path' })),
    ).toBeNull();
    expect(vexProblem(triage({ state: 'not_affected', impactStatement: 'BLE only' }))).toBeNull();
    expect(vexProblem(triage({ state: 'affected' }))).toBe('actionRequired');
    expect(vexProblem(triage({ state: 'affected', actionStatement: 'Update to 13.0.1' }))).toBeNull();
    expect(vexProblem(triage({ state: 'fixed' }))).toBeNull();
  });

  it('sends only what changed, empty text as null', () => {
    const before = triage({ impactStatement: 'old', cvssEnvironmentalVector: 'CVSS:3.1/AV:N' });
    expect(triagePatch(before, before)).toEqual({});
    expect(
      triagePatch(
        before,
        triage({ state: 'not_affected', justification: 'component_not_present', impactStatement: ' ' }),
      ),
    ).toEqual({
      state: 'not_affected',
      justification: 'component_not_present',
      impactStatement: null,
      cvssEnvironmentalVector: null,
    });
    expect(triagePatch(triage(), triage({ patientSafetyImpact: 'low', remediation: 'planned' }))).toEqual({
      patientSafetyImpact: 'low',
      remediation: 'planned',
    });
  });

  it('applies a whole decision across findings without clearing what it leaves empty', () => {
    expect(
      decisionSet(triage({ state: 'not_affected', justification: 'vulnerable_code_not_in_execute_path' })),
    ).toEqual({
      state: 'not_affected',
      remediation: 'none',
      justification: 'vulnerable_code_not_in_execute_path',
    });
  });

  it('counts open findings by severity and all by state', () => {
    const list = [
      { severity: 'high', state: 'under_investigation' },
      { severity: 'high', state: 'affected' },
      { severity: 'critical', state: 'not_affected' },
      { severity: 'low', state: 'fixed' },
    ] as const;
    expect(countBySeverity([...list])).toEqual({ critical: 0, high: 2, medium: 0, low: 0, none: 0 });
    expect(countByState([...list])).toEqual({
      under_investigation: 1,
      affected: 1,
      not_affected: 1,
      fixed: 1,
    });
  });

  it('keeps the filters in the page link and the API query', () => {
    expect(findingsHref({ productId: 'p', releaseId: 'r' })).toBe('/vulnerabilities?productId=p&releaseId=r');
    expect(findingsHref({})).toBe('/vulnerabilities');
    expect(findingsQuery({ productId: '', releaseId: 'r', state: '', kev: true, overdue: false })).toBe(
      '?releaseId=r&kev=true',
    );
  });

  it('lists the history with the first sighting and a retraction the matcher made without a row', () => {
    const row = {
      kind: 'triage' as const,
      fromState: 'under_investigation' as const,
      toState: 'not_affected' as const,
      justification: 'component_not_present',
      fromRemediation: 'none',
      toRemediation: 'none',
      retracted: false,
      changedBy: 'Kim',
      note: null,
    };
    const lines = historyLines({
      findingId: '01a20000-0000-7000-8000-000000000001',
      firstSeenAt: '2026-03-01T09:00:00.000Z',
      retractedAt: '2026-03-03T09:00:00.000Z',
      items: [{ ...row, id: 'a', changedAt: '2026-03-02T09:00:00.000Z' }],
    });
    expect(lines.map((l) => [l.kind, l.at])).toEqual([
      ['seen', '2026-03-01T09:00:00.000Z'],
      ['triage', '2026-03-02T09:00:00.000Z'],
      ['matcherRetracted', '2026-03-03T09:00:00.000Z'],
    ]);
    // a retraction with its own row (SBOM superseded) is not repeated
    expect(
      historyLines({
        findingId: '01a20000-0000-7000-8000-000000000001',
        firstSeenAt: '2026-03-01T09:00:00.000Z',
        retractedAt: '2026-03-03T09:00:00.000Z',
        items: [
          {
            ...row,
            kind: 'sbom_superseded',
            retracted: true,
            id: 'b',
            changedAt: '2026-03-03T09:00:00.000Z',
          },
        ],
      }).map((l) => l.kind),
    ).toEqual(['seen', 'sbom_superseded']);
  });
});

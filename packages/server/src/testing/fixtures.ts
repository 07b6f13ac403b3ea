import { readFileSync } from 'node:fs';
import { corpus } from '../../../core/src/testing/corpora.ts';
import { importOsv } from '../modules/advisories/advisories.service.ts';
import { drainJobs } from '../platform/jobs/jobs.service.ts';
import type { TestClient } from './http-client.ts';
import type { TestApp } from './test-app.ts';

/**
 * Small product and file fixtures for integration tests. The product is the example: a Bluetooth LE
 * insulin pump with a companion app and a cloud service.
 */
export const INSULIN_PUMP = {
  name: 'GlucoFlow insulin pump',
  model: 'GF-200',
  manufacturer: 'Acme Medical',
  importer: null,
  grade: 3,
  intendedUse: 'Continuous subcutaneous insulin infusion controlled from a phone app',
  profile: {
    kind: 'embedded-software',
    domains: ['home', 'service-provider'],
    operatingSystems: ['FreeRTOS 10'],
    interfaces: [
      { kind: 'bluetooth-le', version: '5.0', purpose: 'pairing with the companion app' },
      { kind: 'usb', purpose: 'service port for log export' },
    ],
    remoteAccess: false,
    personalData: true,
    usesAi: false,
    hasUpdateMechanism: true,
    hardwareWithExternalPorts: true,
    hasDatabase: false,
    deployment: 'customer-premises',
    endOfLife: null,
    endOfSupport: null,
  },
} as const;

/** A minimal PDF (header, one empty page, trailer): enough for content sniffing. */
export const PDF_BYTES = Buffer.from(
  '%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n',
  'latin1',
);
/** The first bytes of an ELF executable (what a renamed binary looks like). */
export const ELF_BYTES = Buffer.concat([
  Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]),
  Buffer.alloc(120, 1),
]);
/** PNG signature and an IHDR chunk header. */
export const PNG_BYTES = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]),
  Buffer.from('IHDR'),
  Buffer.alloc(17, 0),
]);

export const createProductVia = async (client: TestClient, body: unknown = INSULIN_PUMP) => {
  const res = await client.post('/api/v1/products', body);
  if (res.status !== 201) {
    throw new Error(`create product failed: ${res.status} ${res.body}`);
  }
  return res.json<{ id: string; profile: Record<string, unknown> }>();
};

/**
 * The real medical-device SBOM (narrow case study, CycloneDX 1.4) uploaded to a release and matched against the
 * GitHub advisories of the corpora: findings for Newtonsoft.Json 9.0.1 and NuGet jQuery 3.1.1. Returns the findings.
 */
export const uploadMedicalSbomWithFindings = async <F>(
  t: TestApp,
  uploader: TestClient,
  releaseId: string,
): Promise<F[]> => {
  const sbom = readFileSync(
    corpus('sbom', 'medical', 'sbom-completeness', 'sboms', 'case-study', 'narrow.sbom.json'),
  );
  const res = await uploader.upload('POST', `/api/v1/releases/${releaseId}/sboms`, {
    name: 'device.cdx.json',
    content: sbom,
  });
  if (res.status !== 201) {
    throw new Error(`SBOM upload failed: ${res.status} ${res.body}`);
  }
  await importOsv(t.deps, corpus('osv', 'ghsa-targeted'));
  await drainJobs(t.deps, t.jobs);
  return (await uploader.get(`/api/v1/findings?releaseId=${releaseId}`)).json<{ items: F[] }>().items;
};

import type { TestClient } from './http-client.ts';

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

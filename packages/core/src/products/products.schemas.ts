import { z } from 'zod';
import { pageOf, pageQuery, text } from '../api/common.schemas.ts';

/**
 * Products (devices, apps, cloud services), their releases and architecture. The profile fields are what the
 * applicability rules read (products/applicability.rules.ts); each one is named after the question the MFDS 2025
 * guideline or the KISA model asks of a product.
 */
export const PRODUCT_KINDS = [
  'standalone-software', // 독립형 디지털의료기기소프트웨어
  'embedded-software', // 소프트웨어 내장 디지털의료기기 (with device hardware)
  'mobile-app',
  'cloud-service',
  'gateway',
] as const;
export type ProductKind = (typeof PRODUCT_KINDS)[number];

/** KISA service domains (seed 000): home, mobile clinic/ambulance, hospital, service provider. */
export const SERVICE_DOMAINS = ['home', 'mobile-clinic', 'hospital', 'service-provider'] as const;
export type ServiceDomain = (typeof SERVICE_DOMAINS)[number];

export const INTERFACES = [
  'bluetooth',
  'bluetooth-le',
  'wifi',
  'cellular',
  'nfc',
  'zigbee',
  'usb',
  'serial',
  'ethernet',
  'other',
] as const;
export type InterfaceKind = (typeof INTERFACES)[number];
export const WIRELESS_INTERFACES: readonly InterfaceKind[] = [
  'bluetooth',
  'bluetooth-le',
  'wifi',
  'cellular',
  'nfc',
  'zigbee',
];

export const DEPLOYMENTS = ['customer-premises', 'manufacturer-hosted', 'hybrid'] as const;

const isoDate = z.iso.date();

/** The profile the applicability rules decide from. */
export const ProductProfileSchema = z.strictObject({
  kind: z.enum(PRODUCT_KINDS),
  /** Device role class key of the KISA model (catalog dataset service-model). */
  deviceRoleClass: z.string().max(64).nullable().default(null),
  domains: z.array(z.enum(SERVICE_DOMAINS)).max(4).default([]),
  operatingSystems: z.array(text(100)).max(20).default([]),
  interfaces: z
    .array(
      z.strictObject({
        kind: z.enum(INTERFACES),
        /** e.g. "5.0" for Bluetooth LE 5.0, "RS-485" for serial. */
        version: text(50).optional(),
        /** Why the interface is needed (art. 11 asks for this in the user manual). */
        purpose: text(500).optional(),
      }),
    )
    .max(50)
    .default([]),
  remoteAccess: z.boolean().default(false),
  /** Stores or transmits personal or medical data (개인정보·의료정보). */
  personalData: z.boolean().default(false),
  usesAi: z.boolean().default(false),
  hasUpdateMechanism: z.boolean().default(false),
  /** Device hardware with external ports or interfaces reachable by hand (art. 3, 5). */
  hardwareWithExternalPorts: z.boolean().default(false),
  /** Includes a database (art. 9). */
  hasDatabase: z.boolean().default(false),
  deployment: z.enum(DEPLOYMENTS).default('customer-premises'),
  endOfLife: isoDate.nullable().default(null),
  endOfSupport: isoDate.nullable().default(null),
});
export type ProductProfile = z.infer<typeof ProductProfileSchema>;
export type ProductProfileInput = z.input<typeof ProductProfileSchema>;

export const CreateProductSchema = z.strictObject({
  name: text(200).min(1),
  model: text(200).min(1),
  manufacturer: text(200).min(1),
  importer: text(200).nullable().default(null),
  /** Device grade (등급) 1–4. */
  grade: z.number().int().min(1).max(4).nullable().default(null),
  intendedUse: text(4000).default(''),
  profile: ProductProfileSchema,
});
export type CreateProduct = z.infer<typeof CreateProductSchema>;

export const UpdateProductSchema = CreateProductSchema.partial().extend({
  profile: ProductProfileSchema.optional(),
});

export const ProductSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  model: z.string(),
  manufacturer: z.string(),
  importer: z.string().nullable(),
  grade: z.number().int().nullable(),
  intendedUse: z.string(),
  profile: ProductProfileSchema,
  archived: z.boolean(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type Product = z.infer<typeof ProductSchema>;

export const ListProductsQuerySchema = pageQuery(['name', 'createdAt'] as const).extend({
  q: text(200).optional(),
  includeArchived: z.enum(['true', 'false']).optional(),
});
export const ProductPageSchema = pageOf(ProductSchema);

export const RELEASE_STATUSES = ['in-development', 'released', 'end-of-support'] as const;

export const CreateReleaseSchema = z.strictObject({
  version: text(100).min(1),
  releaseDate: isoDate.nullable().default(null),
  status: z.enum(RELEASE_STATUSES).default('in-development'),
  /** The release this one starts from (its assessment items and architecture are copied). */
  basedOn: z.uuid().nullable().default(null),
  notes: text(4000).default(''),
});

export const ReleaseSchema = z.object({
  id: z.uuid(),
  productId: z.uuid(),
  version: z.string(),
  releaseDate: z.string().nullable(),
  status: z.enum(RELEASE_STATUSES),
  basedOn: z.uuid().nullable(),
  notes: z.string(),
  createdAt: z.iso.datetime(),
});
export type Release = z.infer<typeof ReleaseSchema>;

/** Architecture inventory per release: the elements threat models will be built on. */
export const ELEMENT_KINDS = [
  'hardware',
  'software',
  'third-party',
  'cloud-service',
  'data-store',
  'interface',
  'external-entity',
] as const;

export const ArchitectureElementInputSchema = z.strictObject({
  kind: z.enum(ELEMENT_KINDS),
  name: text(200).min(1),
  description: text(4000).default(''),
  /** For interfaces and ports: kind, port/protocol and why it is needed (art. 11). */
  interface: z.enum(INTERFACES).nullable().default(null),
  portProtocol: text(100).nullable().default(null),
  purpose: text(1000).default(''),
  /** Holds personal or medical data. */
  personalData: z.boolean().default(false),
  parentId: z.uuid().nullable().default(null),
});
export const ArchitectureElementSchema = ArchitectureElementInputSchema.extend({
  id: z.uuid(),
  releaseId: z.uuid(),
});

export const DataFlowInputSchema = z.strictObject({
  fromId: z.uuid(),
  toId: z.uuid(),
  name: text(200).min(1),
  protocol: text(100).default(''),
  personalData: z.boolean().default(false),
  encrypted: z.boolean().default(false),
  crossesTrustBoundary: z.boolean().default(false),
});
export const DataFlowSchema = DataFlowInputSchema.extend({ id: z.uuid(), releaseId: z.uuid() });

import type {
  InterfaceKind,
  ItemStatus,
  KisaModelFile,
  Method,
  Product,
  ProductKind,
  ProductProfile,
  Release,
  ServiceDomain,
} from '@medsec/core';
import { get } from '../../api/client.ts';

/**
 * Shapes and choices of the products API (core's schemas are the source; the web bundle imports only their types,
 * so the lists are repeated here and checked against core's unions with `satisfies`).
 */
export type { Product, ProductProfile, Release };

export const PRODUCT_KINDS = [
  'standalone-software',
  'embedded-software',
  'mobile-app',
  'cloud-service',
  'gateway',
] as const satisfies readonly ProductKind[];
export const SERVICE_DOMAINS = [
  'home',
  'mobile-clinic',
  'hospital',
  'service-provider',
] as const satisfies readonly ServiceDomain[];
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
] as const satisfies readonly InterfaceKind[];
export const DEPLOYMENTS = ['customer-premises', 'manufacturer-hosted', 'hybrid'] as const;
export const RELEASE_STATUSES = ['in-development', 'released', 'end-of-support'] as const;
export const ELEMENT_KINDS = [
  'hardware',
  'software',
  'third-party',
  'cloud-service',
  'data-store',
  'interface',
  'external-entity',
] as const;
export type ElementKind = (typeof ELEMENT_KINDS)[number];

/** The yes/no questions of the profile, in the order the form asks them. */
export const PROFILE_FLAGS = [
  'remoteAccess',
  'personalData',
  'usesAi',
  'hasUpdateMechanism',
  'hardwareWithExternalPorts',
  'hasDatabase',
] as const satisfies readonly (keyof ProductProfile)[];

export const ITEM_STATUSES = [
  'not-started',
  'in-progress',
  'implemented',
  'verified',
  'not-applicable',
] as const satisfies readonly ItemStatus[];
export const METHODS = [
  'test',
  'inspection',
  'analysis',
  'document-review',
  'third-party-certificate',
] as const satisfies readonly Method[];

export const emptyProfile = (): ProductProfile => ({
  kind: 'standalone-software',
  deviceRoleClass: null,
  domains: [],
  operatingSystems: [],
  interfaces: [],
  remoteAccess: false,
  personalData: false,
  usesAi: false,
  hasUpdateMechanism: false,
  hardwareWithExternalPorts: false,
  hasDatabase: false,
  deployment: 'customer-premises',
  endOfLife: null,
  endOfSupport: null,
});

/** What a profile change would do to one requirement (from null: not decided before). */
export interface ApplicabilityChange {
  ref: string;
  from: boolean | null;
  to: boolean;
  reasonEn: string;
  reasonKo: string;
}

/** One requirement as decided for a product, with the rule's reason and any person's override. */
export interface ApplicabilityView {
  ref: string;
  framework: string;
  kind: string;
  article: number | null;
  group: string | null;
  obligation: string;
  titleKo: string | null;
  titleEn: string | null;
  textKo: string;
  textEn: string | null;
  applicable: boolean;
  byRule: boolean;
  ruleId: string;
  basis: string;
  reasonEn: string;
  reasonKo: string;
  override: {
    applicable: boolean;
    justification: string;
    reference: string | null;
    by: string | null;
    at: string;
  } | null;
}

export interface ArchitectureElement {
  id: string;
  releaseId: string;
  kind: ElementKind;
  name: string;
  description: string;
  interface: InterfaceKind | null;
  portProtocol: string | null;
  purpose: string;
  personalData: boolean;
  parentId: string | null;
}

export interface DataFlow {
  id: string;
  releaseId: string;
  fromId: string;
  toId: string;
  name: string;
  protocol: string;
  personalData: boolean;
  encrypted: boolean;
  crossesTrustBoundary: boolean;
}

export interface ProgressBucket {
  key: string;
  framework: string;
  total: number;
  byStatus: Record<ItemStatus, number>;
  verifiedPercent: number;
}
export interface Progress {
  byArticle: ProgressBucket[];
  byGroup: ProgressBucket[];
  overall: ProgressBucket;
  mandatory: ProgressBucket;
}

export const getProduct = (id: string): Promise<Product> => get<Product>(`/api/v1/products/${id}`);
export const listReleases = async (productId: string): Promise<Release[]> =>
  (await get<{ items: Release[] }>(`/api/v1/products/${productId}/releases`)).items;
export const getServiceModel = (): Promise<KisaModelFile> =>
  get<KisaModelFile>('/api/v1/catalog/service-model');

/** Text in the UI language, falling back to Korean (the catalog's original). */
export const pick = (lang: string, ko: string | null, en: string | null): string =>
  (lang === 'en' ? (en ?? ko) : (ko ?? en)) ?? '';

/** A catalog reference without its framework prefix: `mfds-2025:art-4:item-1` → `art-4:item-1`. */
export const shortRef = (ref: string): string => ref.replace(/^[^:]+:/, '');

/** Percent with one decimal at most. */
export const percent = (value: number): string => `${Math.round(value * 10) / 10}%`;

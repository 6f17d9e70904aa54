// What the mapping module needs to know of a domain's own data, and only through these ports:
// each domain implements them over its own tables (inventory over its item master and locations,
// orders over its catalog read model), so resolving a reference never reads another domain's tables.

export interface ProductFacts {
  sku: string;
  gtin: string | null;
  baseUnit: string;
  /** Other units this product is handled in: base units per one of them. */
  conversions: { unit: string; factor: number }[];
}

export interface ProductPort {
  bySku(skus: string[]): Promise<ProductFacts[]>;
  /** GTINs are given as GTIN-14. */
  byGtin(gtins: string[]): Promise<ProductFacts[]>;
}

export interface LocationFacts {
  id: string;
  code: string;
  gln: string | null;
}

export interface LocationPort {
  /** Locations whose id, code or GLN is one of the values. */
  find(values: string[]): Promise<LocationFacts[]>;
}

export interface MappingPorts {
  products?: ProductPort;
  locations?: LocationPort;
}

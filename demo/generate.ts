// Deterministic demo data for the whole graph: business units, locations, products, stock,
// customers, orders with their history, shipments with SSCC-labelled packages and milestones, and
// invoices with exact Decimal totals. Rows are plain objects shaped like the Prisma `createMany`
// input of each model, listed in dependency order. Same seed => deep-equal output; nothing reads
// the clock or Math.random.
import { Prisma } from "../platform/db/generated/client.js";
import type {
  AdjustmentKind,
  ErpDeployment,
  ErpSystem,
  InvoiceStatus,
  LocationKind,
  MilestoneCode,
  OrderChannel,
  OrderStatus,
  PostingStatus,
  ShipmentStatus,
} from "../platform/db/generated/client.js";
import { Rng } from "./random.js";
import { COMPANY_PREFIX, makeGln, makeGtin14, makeSscc } from "./gs1.js";
import {
  BRANDS,
  BUSINESS_KINDS,
  EAST_CITIES,
  EAST_PLACES,
  ITEM_TEMPLATES,
  LEGAL_SUFFIXES,
  SITE_LABELS,
  STREETS,
  TAX_RATES,
  WEST_CITIES,
  WEST_PLACES,
  type City,
  type ItemTemplate,
} from "./catalog.js";

const D = Prisma.Decimal;
type Decimal = Prisma.Decimal;

// ---------------------------------------------------------------------------------------------
// Row types: exactly the columns we fill, with Decimal values as strings and dates as Date.

export type ExternalRef = { system: string; value: string };

export type BusinessUnitRow = {
  id: string;
  name: string;
  erpSystem: ErpSystem;
  erpInstance: string;
  deployment: ErpDeployment;
  currency: string;
};

export type LocationRow = {
  id: string;
  code: string;
  name: string;
  kind: LocationKind;
  parentId: string | null;
  gln: string | null;
};

export type ProductRow = {
  sku: string;
  gtin: string;
  description: string;
  baseUnit: string;
  brand: string;
  category: string;
  createdAt: Date;
};

/** A platform cross-reference: the identifiers products and locations carry in source systems. */
export type CrossReferenceRow = { kind: "PRODUCT" | "LOCATION" | "CUSTOMER"; system: string; externalValue: string; canonicalId: string };

/** A price list entry (orders): LIST or a customer id. */
export type PriceListEntryRow = { priceList: string; sku: string; unit: string; currency: string; unitPrice: string };

/** Orders' read model of the item master (normally kept from ProductChanged events). */
export type CatalogItemRow = { sku: string; gtin: string; description: string; baseUnit: string; conversions: { unit: string; factor: number }[] };

/** erp-finance's read model of the item master (supplier invoices convert units with it). */
export type FinanceCatalogItemRow = { sku: string; gtin: string; baseUnit: string; conversions: { unit: string; factor: number }[] };

/**
 * How each business unit's ERP is reached: the cloud ERP (the Business Central stand-in unless
 * ERP_CLOUD_BASE_URL points elsewhere) for the west, the legacy file exchange for the east.
 */
export type ErpConnectorRow = { businessUnitId: string; kind: "CLOUD_REST" | "FILE_EXCHANGE"; system: string; folder: string | null; pollIntervalMs: number };

export type UnitConversionRow = { sku: string; unit: string; factor: number };

export type InventoryPositionRow = {
  sku: string;
  locationId: string;
  onHand: number;
  allocated: number;
  reserved: number;
  damaged: number;
  qualityHold: number;
  safetyStock: number;
  inbound: number;
  asOf: Date;
  version: number;
};

export type CustomerRow = {
  id: string;
  name: string;
  businessUnitId: string;
  creditLimit: string;
  currency: string;
  paymentTerms: string;
  termsDays: number;
  creditHold: boolean;
  gln: string | null;
  externalRefs: ExternalRef[];
};

export type OrderRow = {
  id: string;
  orderNumber: string;
  customerId: string;
  customerPo: string | null;
  channel: OrderChannel;
  businessUnitId: string;
  status: OrderStatus;
  currency: string;
  placedAt: Date;
  requestedShipDate: Date | null;
  shipToLocationId: string | null;
  shipToName: string | null;
  shipToAddress: string | null;
  version: number;
  createdAt: Date;
  updatedAt: Date;
};

export type OrderLineRow = {
  id: string;
  orderId: string;
  lineNumber: number;
  sku: string;
  unit: string;
  unitFactor: number;
  baseUnit: string;
  unitPrice: string;
  quantityOrdered: number;
  quantityAllocated: number;
  quantityShipped: number;
  quantityInvoiced: number;
};

export type OrderExternalRefRow = { orderId: string; system: string; value: string };

export type OrderStatusChangeRow = {
  orderId: string;
  fromStatus: OrderStatus | null;
  toStatus: OrderStatus;
  changedAt: Date;
  source: string;
  reason: string | null;
  correlationId: string | null;
};

export type ShipmentRow = {
  id: string;
  shipmentNumber: string;
  orderId: string;
  shipFromLocationId: string;
  carrierScac: string;
  carrierName: string;
  serviceLevel: string;
  trackingNumber: string | null;
  status: ShipmentStatus;
  shippedAt: Date | null;
  estimatedDelivery: Date | null;
  deliveredAt: Date | null;
  externalRefs: ExternalRef[];
};

export type PackageRow = { id: string; shipmentId: string; sscc: string; trackingNumber: string | null; weightKg: string };

export type ShipmentLineRow = {
  id: string;
  shipmentId: string;
  packageId: string | null;
  orderLineId: string;
  sku: string;
  quantity: number;
  unit: string;
};

export type MilestoneRow = {
  id: string;
  shipmentId: string;
  code: MilestoneCode;
  occurredAt: Date;
  location: string | null;
  source: string;
  note: string | null;
};

export type InvoiceRow = {
  id: string;
  invoiceNumber: string;
  orderId: string;
  shipmentId: string | null;
  customerId: string;
  businessUnitId: string;
  status: InvoiceStatus;
  postingStatus: PostingStatus;
  erpDocumentNumber: string | null;
  postedAt: Date | null;
  invoiceDate: Date;
  dueDate: Date;
  currency: string;
  subtotal: string;
  chargesTotal: string;
  allowancesTotal: string;
  taxRate: string;
  taxTotal: string;
  total: string;
  amountPaid: string;
};

export type InvoiceLineRow = {
  id: string;
  invoiceId: string;
  lineNumber: number;
  orderLineId: string | null;
  sku: string;
  quantity: number;
  unit: string;
  unitPrice: string;
  amount: string;
};

export type InvoiceAdjustmentRow = {
  id: string;
  invoiceId: string;
  kind: AdjustmentKind;
  code: string;
  description: string;
  amount: string;
};

/** Every model's rows, keys in dependency (insert) order. */
export interface DemoData {
  businessUnits: BusinessUnitRow[];
  locations: LocationRow[];
  products: ProductRow[];
  unitConversions: UnitConversionRow[];
  inventoryPositions: InventoryPositionRow[];
  crossReferences: CrossReferenceRow[];
  erpConnectors: ErpConnectorRow[];
  customers: CustomerRow[];
  priceListEntries: PriceListEntryRow[];
  catalogItems: CatalogItemRow[];
  financeCatalogItems: FinanceCatalogItemRow[];
  orders: OrderRow[];
  orderLines: OrderLineRow[];
  orderExternalRefs: OrderExternalRefRow[];
  orderStatusChanges: OrderStatusChangeRow[];
  shipments: ShipmentRow[];
  packages: PackageRow[];
  shipmentLines: ShipmentLineRow[];
  milestones: MilestoneRow[];
  invoices: InvoiceRow[];
  invoiceLines: InvoiceLineRow[];
  invoiceAdjustments: InvoiceAdjustmentRow[];
}

// ---------------------------------------------------------------------------------------------
// Fixed clock. The data set describes the world as of DEMO_NOW; no event lies after it.

export const DEMO_NOW = new Date("2026-11-28T12:00:00.000Z");
export const INVENTORY_AS_OF = new Date("2026-11-28T06:00:00.000Z");
const ORDERS_FROM = new Date("2026-08-01T00:00:00.000Z");
const ORDERS_TO = new Date("2026-11-28T00:00:00.000Z"); // exclusive: last order on 2026-11-27
const PRODUCTS_CREATED = new Date("2025-03-01T08:00:00.000Z");

export const PRODUCT_COUNT = 240;
export const CUSTOMER_COUNT = 50;
export const ORDER_COUNT = 1000;

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const pad = (n: number, width: number) => String(n).padStart(width, "0");
const addMs = (d: Date, ms: number) => new Date(d.getTime() + Math.round(ms / 1000) * 1000);
const utcDate = (d: Date) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
const addDays = (d: Date, days: number) => new Date(d.getTime() + days * DAY);
const cents = (d: Decimal) => d.toDecimalPlaces(2, D.ROUND_HALF_UP);

/** Picks a value not yet in `used` (retrying the generator), then records it. */
function unique(used: Set<string>, make: () => string): string {
  for (let i = 0; i < 1000; i++) {
    const v = make();
    if (!used.has(v)) {
      used.add(v);
      return v;
    }
  }
  throw new Error("unique: gave up after 1000 tries");
}

// ---------------------------------------------------------------------------------------------
// Business units and locations (fixed master data).

interface WarehouseInfo {
  id: string;
  businessUnitId: string;
  cityLabel: string;
  upsAccount: string;
}

const BUSINESS_UNITS: BusinessUnitRow[] = [
  { id: "BU-EAST", name: "Eastern Distribution", erpSystem: "SAP_ECC", erpInstance: "ECC-PRD-100", deployment: "ON_PREMISE", currency: "USD" },
  { id: "BU-WEST", name: "Western Distribution", erpSystem: "DYNAMICS_365", erpInstance: "CRONUS-USA", deployment: "CLOUD", currency: "USD" },
];

const WAREHOUSE_DEFS = [
  {
    code: "ATL",
    region: "EAST",
    name: "Atlanta",
    state: "GA",
    bu: "BU-EAST",
    glnRef: 101,
    erpRef: { system: "SAP_ECC", value: "PLANT-1100" },
    zones: ["Bulk Storage", "Case Pick", "Hazmat Cage"],
    upsAccount: "8X47E2",
  },
  {
    code: "CLT",
    region: "EAST",
    name: "Charlotte",
    state: "NC",
    bu: "BU-EAST",
    glnRef: 102,
    erpRef: { system: "SAP_ECC", value: "PLANT-1200" },
    zones: ["Bulk Storage", "Each Pick"],
    upsAccount: "8X47E3",
  },
  {
    code: "RNO",
    region: "WEST",
    name: "Reno",
    state: "NV",
    bu: "BU-WEST",
    glnRef: 201,
    erpRef: { system: "DYNAMICS_365", value: "LOCATION-7" },
    zones: ["Bulk Storage", "Case Pick", "Mezzanine"],
    upsAccount: "4W19R7",
  },
] as const;

/** A row as built, with the identifiers it has in source systems (they become cross-references). */
type WithRefs<T> = T & { externalRefs: ExternalRef[] };

function buildLocations(): { locations: WithRefs<LocationRow>[]; warehouses: WarehouseInfo[]; stockLocations: string[] } {
  const locations: WithRefs<LocationRow>[] = [
    { id: "LOC-REG-EAST", code: "REG-EAST", name: "Eastern Region", kind: "REGION", parentId: null, gln: null, externalRefs: [] },
    { id: "LOC-REG-WEST", code: "REG-WEST", name: "Western Region", kind: "REGION", parentId: null, gln: null, externalRefs: [] },
  ];
  const warehouses: WarehouseInfo[] = [];
  const stockLocations: string[] = [];
  for (const w of WAREHOUSE_DEFS) {
    const siteId = `LOC-SITE-${w.code}`;
    const whId = `LOC-WH-${w.code}`;
    locations.push({
      id: siteId,
      code: `SITE-${w.code}`,
      name: `${w.name} Distribution Campus`,
      kind: "SITE",
      parentId: `LOC-REG-${w.region}`,
      gln: null,
      externalRefs: [],
    });
    locations.push({
      id: whId,
      code: `WH-${w.code}`,
      name: `${w.name} Distribution Center`,
      kind: "WAREHOUSE",
      parentId: siteId,
      gln: makeGln(COMPANY_PREFIX, w.glnRef),
      externalRefs: [{ ...w.erpRef }, { system: "WMS", value: `DC-${w.code}` }],
    });
    warehouses.push({ id: whId, businessUnitId: w.bu, cityLabel: `${w.name}, ${w.state}`, upsAccount: w.upsAccount });
    stockLocations.push(whId);
    w.zones.forEach((zoneName, i) => {
      const letter = String.fromCharCode(65 + i);
      const zoneRef =
        w.erpRef.system === "SAP_ECC"
          ? { system: "SAP_ECC", value: `${w.erpRef.value.slice(6)}/000${i + 1}` }
          : { system: "DYNAMICS_365", value: `BIN-${w.code}-${letter}` };
      locations.push({
        id: `${whId}-${letter}`,
        code: `WH-${w.code}-${letter}`,
        name: `${w.name} DC Zone ${letter} - ${zoneName}`,
        kind: "ZONE",
        parentId: whId,
        gln: null,
        externalRefs: [zoneRef],
      });
      stockLocations.push(`${whId}-${letter}`);
    });
  }
  return { locations, warehouses, stockLocations };
}

// ---------------------------------------------------------------------------------------------
// Products, unit conversions, inventory positions.

interface ProductInfo {
  sku: string;
  caseFactor: number;
  /** List price of one each, USD (4 decimals). */
  eachPrice: Decimal;
  eachKg: number;
  onShopify: boolean;
}

function buildProducts(rng: Rng, stockLocations: string[]) {
  const combos: { template: ItemTemplate; adjective: string; sizeIndex: number }[] = [];
  for (const template of ITEM_TEMPLATES)
    for (const adjective of template.adjectives)
      for (let sizeIndex = 0; sizeIndex < template.sizes.length; sizeIndex++) combos.push({ template, adjective, sizeIndex });
  if (combos.length < PRODUCT_COUNT) throw new Error(`catalog has only ${combos.length} combinations`);
  // Random subset, then grouped by category so neighbouring SKUs look like a real item master.
  const categoryOrder = Object.keys(BRANDS);
  const chosen = rng
    .sample(combos, PRODUCT_COUNT)
    .map((c, i) => ({ ...c, i }))
    .sort((a, b) => categoryOrder.indexOf(a.template.category) - categoryOrder.indexOf(b.template.category) || a.i - b.i);

  const products: WithRefs<ProductRow>[] = [];
  const conversions: UnitConversionRow[] = [];
  const positions: InventoryPositionRow[] = [];
  const info: ProductInfo[] = [];
  let shopifyId = 44_180_000_000_000 + rng.int(0, 9_999_999);
  let material = 100 + rng.int(0, 50);
  let nsItem = 1200 + rng.int(0, 300);

  chosen.forEach(({ template, adjective, sizeIndex }, index) => {
    const n = index + 1;
    const sku = `SKU-${10000 + n}`;
    const caseFactor = rng.pick(template.caseFactors);
    const sizeScale = 1 + sizeIndex * 0.45;
    const eachPrice = new D(rng.float(template.price[0], template.price[1]).toFixed(2)).mul(sizeScale.toFixed(2)).toDecimalPlaces(4, D.ROUND_HALF_UP);
    const eachKg = template.eachKg * (1 + sizeIndex * 0.5);
    const onShopify = rng.chance(0.7);
    material += rng.int(1, 7);
    nsItem += rng.int(1, 15);
    const externalRefs: ExternalRef[] = [
      { system: "SAP_ECC", value: `MAT-${pad(material, 6)}` },
      { system: "DYNAMICS_365", value: `ITEM-${nsItem}` },
    ];
    if (onShopify) {
      shopifyId += rng.int(1_000, 90_000_000);
      externalRefs.push({ system: "SHOPIFY", value: String(shopifyId) });
    }
    products.push({
      sku,
      gtin: makeGtin14(0, COMPANY_PREFIX, 20000 + n),
      description: `${adjective} ${template.noun}, ${template.sizes[sizeIndex]}`,
      baseUnit: "EA",
      brand: rng.pick(BRANDS[template.category]!),
      category: template.category,
      externalRefs,
      createdAt: addMs(PRODUCTS_CREATED, index * 6 * HOUR),
    });
    conversions.push({ sku, unit: "CS", factor: caseFactor });
    if (rng.chance(0.45)) conversions.push({ sku, unit: "PL", factor: caseFactor * rng.pick([30, 40, 48, 60]) });
    info.push({ sku, caseFactor, eachPrice, eachKg, onShopify });

    for (const locationId of rng.sample(stockLocations, rng.int(2, 4))) positions.push(stockPosition(rng, sku, locationId, caseFactor));
  });
  positions.sort((a, b) => (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : a.locationId < b.locationId ? -1 : 1));
  return { products, conversions, positions, info };
}

/** One stock position. Available is usually comfortable, sometimes thin, now and then negative. */
function stockPosition(rng: Rng, sku: string, locationId: string, cs: number): InventoryPositionRow {
  let onHand = rng.int(2, 60) * cs + rng.int(0, cs - 1);
  let allocated = Math.floor(onHand * rng.float(0, 0.35));
  const reserved = rng.chance(0.25) ? Math.floor(onHand * rng.float(0, 0.1)) : 0;
  const damaged = rng.chance(0.12) ? rng.int(1, cs) : 0;
  const qualityHold = rng.chance(0.06) ? cs * rng.int(1, 3) : 0;
  const safetyStock = cs * rng.int(1, 4);
  const inbound = rng.chance(0.4) ? cs * rng.int(5, 40) : 0;
  const held = reserved + damaged + qualityHold + safetyStock;
  const mode = rng.weighted([
    ["normal", 85],
    ["low", 10],
    ["negative", 5],
  ] as const);
  if (mode === "low") {
    // Available between 0 and one case.
    onHand = Math.max(onHand, held + cs);
    allocated = onHand - held - rng.int(0, cs);
  } else if (mode === "negative") {
    // Committed beyond what is on hand: available from -1 down to about minus two cases.
    onHand = Math.max(onHand, held + 1);
    allocated = Math.min(onHand, onHand - held + rng.int(1, 2 * cs));
  } else if (onHand - allocated - held <= 0) {
    onHand = allocated + held + cs * rng.int(1, 10);
  }
  return { sku, locationId, onHand, allocated, reserved, damaged, qualityHold, safetyStock, inbound, asOf: INVENTORY_AS_OF, version: 1 };
}

// ---------------------------------------------------------------------------------------------
// Customers.

interface ShipTo {
  name: string;
  address: string;
  cityLabel: string;
  state: string;
}

interface CustomerInfo {
  row: CustomerRow;
  erp: ErpSystem;
  shipTos: ShipTo[];
  primaryChannel: OrderChannel;
  orderWeight: number;
  /** Contract price factor on list price (0.80-1.00). */
  priceFactor: Decimal;
  taxExempt: boolean;
  code: string;
}

const TERMS = [
  ["NET30", 30, 55],
  ["NET45", 45, 25],
  ["2/10NET30", 30, 20],
] as const;

function buildCustomers(rng: Rng): CustomerInfo[] {
  const buOf = rng.shuffle([...Array<string>(28).fill("BU-EAST"), ...Array<string>(CUSTOMER_COUNT - 28).fill("BU-WEST")]);
  const onHold = new Set(rng.sample([...Array(CUSTOMER_COUNT).keys()], 3));
  const names = new Set<string>();
  const glns = new Set<string>();
  let kunnr = 100_000 + rng.int(0, 900);
  let nsCustomer = 20_000 + rng.int(0, 900);
  const customers: CustomerInfo[] = [];
  for (let i = 0; i < CUSTOMER_COUNT; i++) {
    const businessUnitId = buOf[i]!;
    const east = businessUnitId === "BU-EAST";
    const erp: ErpSystem = east ? "SAP_ECC" : "DYNAMICS_365";
    const place = east ? EAST_PLACES : WEST_PLACES;
    const name = unique(names, () => {
      const base = `${rng.pick(place)} ${rng.pick(BUSINESS_KINDS)}`;
      const suffix = rng.pick(LEGAL_SUFFIXES);
      return base.endsWith(".") || !suffix ? base : `${base} ${suffix}`;
    });
    const primaryChannel = rng.weighted<OrderChannel>([
      ["EDI", 32],
      ["PORTAL", 28],
      ["COMMERCE", 18],
      ["B2B_API", 14],
      ["MARKETPLACE", 8],
    ]);
    const [paymentTerms, termsDays] = rng.weighted(TERMS.map(([t, d, w]) => [[t, d] as const, w] as const));
    const creditLimit = rng.weighted([
      [25_000, 15],
      [50_000, 25],
      [75_000, 20],
      [100_000, 15],
      [150_000, 10],
      [250_000, 10],
      [500_000, 5],
    ] as const);
    const gln = primaryChannel === "EDI" || rng.chance(0.3) ? unique(glns, () => makeGln(`0${rng.int(810000, 899999)}`, rng.int(1, 99_999))) : null;
    const ref = east ? `KUNNR-${pad((kunnr += rng.int(1, 40)), 10)}` : `CUS-${(nsCustomer += rng.int(1, 60))}`;
    const cities = rng.sample(east ? EAST_CITIES : WEST_CITIES, rng.int(1, 3));
    const shortName = name.replace(/ (Inc\.|LLC|Corp\.)$/, "");
    const shipTos = cities.map((c: City, k: number) => ({
      name: `${shortName} - ${k === 0 ? "Main Warehouse" : rng.pick(SITE_LABELS)}`,
      address: `${rng.int(100, 9899)} ${rng.pick(STREETS)}, ${c.city}, ${c.state} ${c.zip3}${pad(rng.int(1, 99), 2)}`,
      cityLabel: `${c.city}, ${c.state}`,
      state: c.state,
    }));
    customers.push({
      row: {
        id: `CUST-${pad(i + 1, 4)}`,
        name,
        businessUnitId,
        creditLimit: `${creditLimit}.00`,
        currency: "USD",
        paymentTerms,
        termsDays,
        creditHold: onHold.has(i),
        gln,
        externalRefs: [{ system: erp, value: ref }],
      },
      erp,
      shipTos,
      primaryChannel,
      orderWeight: rng.float(0.3, 3),
      priceFactor: new D(rng.float(0.8, 1).toFixed(2)),
      taxExempt: rng.chance(0.25),
      code: name
        .replace(/[^A-Za-z]/g, "")
        .slice(0, 4)
        .toUpperCase(),
    });
  }
  return customers;
}

// ---------------------------------------------------------------------------------------------
// Orders, shipments and invoices.

const STATUS_WEIGHTS: { minAgeDays: number; weights: [OrderStatus, number][] }[] = [
  {
    minAgeDays: 21,
    weights: [
      ["ACCEPTED", 0.5],
      ["ALLOCATED", 1],
      ["RELEASED", 1],
      ["PARTIALLY_SHIPPED", 3],
      ["SHIPPED", 14],
      ["INVOICED", 70],
      ["CANCELLED", 7],
      ["CREDIT_HOLD", 2],
    ],
  },
  {
    minAgeDays: 7,
    weights: [
      ["ACCEPTED", 1],
      ["ALLOCATED", 3],
      ["RELEASED", 6],
      ["PARTIALLY_SHIPPED", 10],
      ["SHIPPED", 30],
      ["INVOICED", 40],
      ["CANCELLED", 5],
      ["CREDIT_HOLD", 4],
    ],
  },
  {
    minAgeDays: 2,
    weights: [
      ["ACCEPTED", 6],
      ["ALLOCATED", 14],
      ["RELEASED", 22],
      ["PARTIALLY_SHIPPED", 14],
      ["SHIPPED", 25],
      ["INVOICED", 8],
      ["CANCELLED", 4],
      ["CREDIT_HOLD", 6],
    ],
  },
  {
    minAgeDays: 0,
    weights: [
      ["ACCEPTED", 40],
      ["ALLOCATED", 25],
      ["RELEASED", 15],
      ["PARTIALLY_SHIPPED", 3],
      ["SHIPPED", 3],
      ["CANCELLED", 4],
      ["CREDIT_HOLD", 8],
    ],
  },
];

const CHANNEL_SOURCE: Record<OrderChannel, string> = {
  EDI: "edi-850",
  COMMERCE: "shopify",
  PORTAL: "portal",
  B2B_API: "b2b-api",
  MARKETPLACE: "marketplace",
  ERP: "erp",
};

const CARRIERS = {
  UPSN: {
    name: "UPS",
    services: [
      ["GROUND", 80],
      ["2ND_DAY_AIR", 12],
      ["NEXT_DAY_AIR", 8],
    ] as [string, number][],
  },
  FDEG: {
    name: "FedEx Ground",
    services: [
      ["GROUND", 85],
      ["HOME_DELIVERY", 15],
    ] as [string, number][],
  },
  ODFL: {
    name: "Old Dominion",
    services: [
      ["STANDARD", 85],
      ["GUARANTEED", 15],
    ] as [string, number][],
  },
  RLCA: {
    name: "R+L Carriers",
    services: [
      ["STANDARD", 85],
      ["GUARANTEED", 15],
    ] as [string, number][],
  },
} as const;
type Scac = keyof typeof CARRIERS;

const HUBS: Record<string, readonly string[]> = {
  "BU-EAST": ["Atlanta, GA", "Charlotte, NC", "Jacksonville, FL", "Nashville, TN", "Columbia, SC"],
  "BU-WEST": ["Sacramento, CA", "Salt Lake City, UT", "Phoenix, AZ", "Reno, NV"],
};

/** LTL above this shipment weight, parcel below. */
const PARCEL_MAX_KG = 90;
/** No order line weighs more than this (keeps pallets under a tonne). */
const LINE_MAX_KG = 300;

interface LineDraft {
  row: OrderLineRow;
  product: ProductInfo;
}

/** Part of an order line going into one shipment (and later one package). */
interface Portion {
  line: LineDraft;
  qty: number;
}

/** UPS-style 1Z tracking number with its mod-10 check character. */
function upsTracking(account: string, service: string, serial: number): string {
  const body = `${account}${service}${pad(serial, 7)}`;
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    const v = c >= "0" && c <= "9" ? Number(c) : (c.charCodeAt(0) - 63) % 10;
    sum += i % 2 === 1 ? v * 2 : v;
  }
  return `1Z${body}${(10 - (sum % 10)) % 10}`;
}

/** Splits positive quantities between two shipments so that both get something, or returns null. */
function splitInTwo(rng: Rng, portions: Portion[]): [Portion[], Portion[]] | null {
  const total = portions.reduce((s, p) => s + p.qty, 0);
  if (total < 2) return null;
  if (portions.length === 1) {
    const p = portions[0]!;
    const first = rng.int(1, p.qty - 1);
    return [[{ line: p.line, qty: first }], [{ line: p.line, qty: p.qty - first }]];
  }
  const shuffled = rng.shuffle(portions);
  const a: Portion[] = [shuffled[0]!];
  const b: Portion[] = [shuffled[1]!];
  for (const p of shuffled.slice(2)) (rng.chance(0.5) ? a : b).push(p);
  // Now and then one line ships in both (short pick, back-ordered remainder).
  const splittable = a.filter((p) => p.qty >= 2);
  if (splittable.length && rng.chance(0.25)) {
    const p = rng.pick(splittable);
    const later = rng.int(1, p.qty - 1);
    a[a.indexOf(p)] = { line: p.line, qty: p.qty - later };
    b.push({ line: p.line, qty: later });
  }
  const byLine = (x: Portion, y: Portion) => x.line.row.lineNumber - y.line.row.lineNumber;
  return [a.sort(byLine), b.sort(byLine)];
}

/** Weight of a portion, kg. */
const portionKg = (p: Portion) => p.qty * p.line.row.unitFactor * p.line.product.eachKg;

/**
 * Distributes a shipment's portions over 1-3 packages, every package getting at least one and the
 * weight spread evenly (heaviest first into the lightest package). Lines are split across packages
 * when there are fewer lines than packages.
 */
function packPortions(rng: Rng, portions: Portion[], minCount: number): Portion[][] {
  let count: number = Math.min(
    3,
    Math.max(
      minCount,
      rng.weighted([
        [1, 50],
        [2, 35],
        [3, 15],
      ] as const),
    ),
  );
  const parts = portions.map((p) => ({ ...p }));
  while (parts.length < count) {
    const heavy = parts.reduce<Portion | null>((m, p) => (p.qty >= 2 && (!m || portionKg(p) > portionKg(m)) ? p : m), null);
    if (!heavy) break;
    const moved = Math.floor(heavy.qty / 2);
    heavy.qty -= moved;
    parts.push({ line: heavy.line, qty: moved });
  }
  count = Math.min(count, parts.length);
  const packages: Portion[][] = Array.from({ length: count }, () => []);
  const load = new Array<number>(count).fill(0);
  const ordered = rng.shuffle(parts).sort((a, b) => portionKg(b) - portionKg(a));
  for (const p of ordered) {
    const k = load.indexOf(Math.min(...load));
    packages[k]!.push(p);
    load[k]! += portionKg(p);
  }
  // Merge parts of the same line that landed in the same package; keep line order inside each.
  return packages.map((pkg) => {
    const merged = new Map<number, Portion>();
    for (const p of pkg) {
      const m = merged.get(p.line.row.lineNumber);
      if (m) m.qty += p.qty;
      else merged.set(p.line.row.lineNumber, { ...p });
    }
    return [...merged.values()].sort((x, y) => x.line.row.lineNumber - y.line.row.lineNumber);
  });
}

export function generateDemoData(seed = 42): DemoData {
  const rng = new Rng(seed);
  const { locations, warehouses, stockLocations } = buildLocations();
  const { products, conversions, positions, info: productInfo } = buildProducts(rng, stockLocations);
  const customers = buildCustomers(rng);
  const shopifyProducts = productInfo.filter((p) => p.onShopify);

  const crossReferences: CrossReferenceRow[] = [
    ...products.flatMap((p) => p.externalRefs.map((r) => ({ kind: "PRODUCT" as const, system: r.system, externalValue: r.value, canonicalId: p.sku }))),
    ...locations.flatMap((l) => l.externalRefs.map((r) => ({ kind: "LOCATION" as const, system: r.system, externalValue: r.value, canonicalId: l.id }))),
    ...locations.filter((l) => l.gln).map((l) => ({ kind: "LOCATION" as const, system: "GS1", externalValue: l.gln!, canonicalId: l.id })),
    ...customers.filter((c) => c.row.gln).map((c) => ({ kind: "CUSTOMER" as const, system: "GS1", externalValue: c.row.gln!, canonicalId: c.row.id })),
    // EDI customers' trading partner ids (ISA05:ISA06), as an X12 850 would name them.
    ...customers
      .filter((c) => c.primaryChannel === "EDI")
      .map((c) => ({ kind: "CUSTOMER" as const, system: "X12", externalValue: `ZZ:${c.code}${c.row.id.slice(-4)}`, canonicalId: c.row.id })),
  ];
  const conversionsBySku = new Map<string, { unit: string; factor: number }[]>();
  for (const c of conversions) conversionsBySku.set(c.sku, [...(conversionsBySku.get(c.sku) ?? []), { unit: c.unit, factor: c.factor }]);
  // List prices per each and per case (cases 3% off); customers price at their own factor.
  const priceListEntries: PriceListEntryRow[] = productInfo.flatMap((p) => [
    { priceList: "LIST", sku: p.sku, unit: "EA", currency: "USD", unitPrice: p.eachPrice.toFixed(4) },
    {
      priceList: "LIST",
      sku: p.sku,
      unit: "CS",
      currency: "USD",
      unitPrice: p.eachPrice.mul(p.caseFactor).mul("0.97").toDecimalPlaces(2, D.ROUND_HALF_UP).toFixed(4),
    },
  ]);
  for (const c of customers.slice(0, 5))
    for (const p of productInfo.slice(0, 40))
      priceListEntries.push({
        priceList: c.row.id,
        sku: p.sku,
        unit: "EA",
        currency: "USD",
        unitPrice: p.eachPrice.mul(c.priceFactor).toDecimalPlaces(4, D.ROUND_HALF_UP).toFixed(4),
      });

  const data: DemoData = {
    businessUnits: BUSINESS_UNITS.map((b) => ({ ...b })),
    erpConnectors: [
      { businessUnitId: "BU-WEST", kind: "CLOUD_REST", system: "DYNAMICS_365", folder: null, pollIntervalMs: 30_000 },
      { businessUnitId: "BU-EAST", kind: "FILE_EXCHANGE", system: "SAP_ECC", folder: "BU-EAST", pollIntervalMs: 10_000 },
    ],
    locations: locations.map(({ externalRefs: _refs, ...row }) => row),
    products: products.map(({ externalRefs: _refs, ...row }) => row),
    unitConversions: conversions,
    inventoryPositions: positions,
    crossReferences,
    customers: customers.map((c) => c.row),
    priceListEntries,
    catalogItems: products.map((p) => ({
      sku: p.sku,
      gtin: p.gtin,
      description: p.description,
      baseUnit: p.baseUnit,
      conversions: conversionsBySku.get(p.sku) ?? [],
    })),
    financeCatalogItems: products.map((p) => ({ sku: p.sku, gtin: p.gtin, baseUnit: p.baseUnit, conversions: conversionsBySku.get(p.sku) ?? [] })),
    orders: [],
    orderLines: [],
    orderExternalRefs: [],
    orderStatusChanges: [],
    shipments: [],
    packages: [],
    shipmentLines: [],
    milestones: [],
    invoices: [],
    invoiceLines: [],
    invoiceAdjustments: [],
  };

  // Identifier counters and uniqueness guards.
  const refValues = new Set<string>();
  let ediPo = 4_500_012_000 + rng.int(0, 999);
  let shopifyOrder = 5_740_000_000_000_000_000n + BigInt(rng.int(0, 999_999_999));
  let sapSalesDoc = 10_012_000 + rng.int(0, 999);
  let nsSalesOrder = 48_000 + rng.int(0, 999);
  let portalPo = 70_000 + rng.int(0, 999);
  let ssccSerial = 310_000_000 + rng.int(0, 9_999);
  let parcelSerial = 4_100_000 + rng.int(0, 99_999);
  let ltlPro = 10_000_000 + rng.int(0, 99_999);
  let wmsShipment = 880_000 + rng.int(0, 999);
  let sapBilling = 9_000_012_000 + rng.int(0, 999);
  let nsInvoice = 31_000 + rng.int(0, 999);
  let shipmentSeq = 0;
  let invoiceSeq = 0;

  const placedTimes = Array.from({ length: ORDER_COUNT }, () => rng.dateBetween(ORDERS_FROM, ORDERS_TO)).sort((a, b) => a.getTime() - b.getTime());
  const customerPick = customers.map((c) => [c, c.orderWeight] as const);

  placedTimes.forEach((placedAt, index) => {
    const n = index + 1;
    const orderId = `ORD-${pad(n, 6)}`;
    const customer = rng.weighted(customerPick);
    const bu = customer.row.businessUnitId;
    const channel: OrderChannel = rng.chance(0.75) ? customer.primaryChannel : rng.pick(["EDI", "COMMERCE", "PORTAL", "B2B_API", "MARKETPLACE"] as const);
    const shipTo = rng.pick(customer.shipTos);
    const ageDays = (DEMO_NOW.getTime() - placedAt.getTime()) / DAY;

    // ---- status and the path that led to it (every step allowed by the order state machine)
    let status: OrderStatus;
    if (customer.row.creditHold && ageDays < 25 && rng.chance(0.75)) status = "CREDIT_HOLD";
    else status = rng.weighted(STATUS_WEIGHTS.find((w) => ageDays >= w.minAgeDays)!.weights);
    // Credit holds happen at capture; cancellations at any point before shipping.
    const interruptedAt: OrderStatus =
      status === "CANCELLED"
        ? rng.weighted<OrderStatus>([
            ["ACCEPTED", 45],
            ["ALLOCATED", 35],
            ["RELEASED", 20],
          ])
        : "ACCEPTED";
    const reached = (s: "ALLOCATED" | "RELEASED") =>
      ["RELEASED", "PARTIALLY_SHIPPED", "SHIPPED", "INVOICED"].includes(status) ||
      (s === "ALLOCATED" && status === "ALLOCATED") ||
      ((status === "CANCELLED" || status === "CREDIT_HOLD") && (interruptedAt === "RELEASED" || (s === "ALLOCATED" && interruptedAt === "ALLOCATED")));
    const ships = status === "PARTIALLY_SHIPPED" || status === "SHIPPED" || status === "INVOICED";

    // ---- lines
    const lineCount = Math.min(8, 1 + Math.floor(rng.next() ** 1.6 * 8));
    const pool = channel === "COMMERCE" ? shopifyProducts : productInfo;
    const lines: LineDraft[] = rng.sample(pool, lineCount).map((product, i) => {
      const unit = rng.chance(0.6) ? "CS" : "EA";
      const unitFactor = unit === "CS" ? product.caseFactor : 1;
      const drawn =
        unit === "CS"
          ? rng.weighted([
              [rng.int(1, 6), 60],
              [rng.int(7, 20), 32],
              [rng.int(21, 60), 8],
            ])
          : rng.weighted([
              [rng.int(1, 12), 70],
              [rng.int(13, 48), 30],
            ]);
      const quantityOrdered = Math.max(1, Math.min(drawn, Math.floor(LINE_MAX_KG / (unitFactor * product.eachKg))));
      let unitPrice: string;
      if (unit === "CS") {
        unitPrice = product.eachPrice.mul(unitFactor).mul(customer.priceFactor).mul("0.97").toDecimalPlaces(2, D.ROUND_HALF_UP).toFixed(2);
      } else {
        const each = product.eachPrice.mul(customer.priceFactor);
        const dp = each.lessThan(1) ? 4 : rng.chance(0.25) ? 3 : 2;
        unitPrice = each.toDecimalPlaces(dp, D.ROUND_HALF_UP).toFixed(dp);
      }
      return {
        product,
        row: {
          id: `${orderId}-${i + 1}`,
          orderId,
          lineNumber: i + 1,
          sku: product.sku,
          unit,
          unitFactor,
          baseUnit: "EA",
          unitPrice,
          quantityOrdered,
          quantityAllocated: 0,
          quantityShipped: 0,
          quantityInvoiced: 0,
        },
      };
    });

    // ---- what ships: everything, or (PARTIALLY_SHIPPED) some lines fully, some partly, some not
    let toShip: number[] = lines.map((l) => (ships ? l.row.quantityOrdered : 0));
    if (status === "PARTIALLY_SHIPPED") {
      toShip = lines.map((l) => {
        const q = l.row.quantityOrdered;
        const how = rng.weighted([
          ["full", 50],
          ["part", 25],
          ["none", 25],
        ] as const);
        return how === "full" ? q : how === "part" && q >= 2 ? rng.int(1, q - 1) : 0;
      });
      if (!toShip.some((q) => q > 0)) {
        const i = rng.int(0, lines.length - 1);
        toShip[i] = lines.length > 1 ? lines[i]!.row.quantityOrdered : Math.max(1, lines[i]!.row.quantityOrdered - 1);
      }
      if (toShip.every((q, i) => q >= lines[i]!.row.quantityOrdered)) {
        const i = rng.int(0, lines.length - 1);
        const line = lines[i]!.row;
        if (line.quantityOrdered >= 2) toShip[i] = rng.int(1, line.quantityOrdered - 1);
        else if (lines.length > 1) toShip[i] = 0;
        else line.quantityOrdered = 2; // single line of 1: make it 2 and ship 1
      }
    }
    const portions: Portion[] = lines.map((line, i) => ({ line, qty: toShip[i]! })).filter((p) => p.qty > 0);
    const shipmentSplit: Portion[][] = !ships ? [] : rng.chance(0.25) ? (splitInTwo(rng, portions) ?? [portions]) : [portions];

    // ---- timeline (scaled down to fit before DEMO_NOW when the order is recent)
    const fast = channel === "EDI" || channel === "B2B_API";
    const tConfirm = rng.float(fast ? 0.02 : 0.1, fast ? 1 : 4) * HOUR;
    const tAllocate = tConfirm + rng.float(0.5, 24) * HOUR;
    const shipOffsets: number[] = [];
    for (let s = 0; s < shipmentSplit.length; s++)
      shipOffsets.push(s === 0 ? tAllocate + rng.float(4, 60) * HOUR : shipOffsets[s - 1]! + rng.float(24, 144) * HOUR);
    const invoiceLags = shipmentSplit.map(() => rng.float(1, 8) * HOUR);
    const tInterrupt = (interruptedAt === "ACCEPTED" ? 0 : interruptedAt === "ALLOCATED" ? tConfirm : tAllocate) + rng.float(0.2, 48) * HOUR;
    const lastNeeded =
      status === "ACCEPTED"
        ? 0
        : status === "ALLOCATED"
          ? tConfirm
          : status === "RELEASED"
            ? tAllocate
            : status === "CANCELLED" || status === "CREDIT_HOLD"
              ? tInterrupt
              : status === "INVOICED"
                ? Math.max(...shipOffsets.map((t, s) => t + invoiceLags[s]!))
                : shipOffsets[shipOffsets.length - 1]!;
    const budget = DEMO_NOW.getTime() - placedAt.getTime() - 0.5 * HOUR;
    const scale = lastNeeded > budget ? budget / lastNeeded : 1;
    const at = (offset: number) => addMs(placedAt, offset * scale);

    // ---- shipments, packages, shipment lines, milestones
    const shipmentIds: string[] = [];
    const shipmentInfo: { id: string; shippedAt: Date; lines: ShipmentLineRow[]; scac: Scac; serviceLevel: string; packages: number; invoiceAt: Date }[] = [];
    shipmentSplit.forEach((shipPortions, s) => {
      shipmentSeq++;
      const shipmentId = `SHP-${pad(shipmentSeq, 6)}`;
      shipmentIds.push(shipmentId);
      const candidates = warehouses.filter((w) => w.businessUnitId === bu);
      const warehouse = candidates.length > 1 && rng.chance(s === 0 ? 0.35 : 0.6) ? candidates[1]! : candidates[0]!;
      const shippedAt = at(shipOffsets[s]!);
      const previous = s === 0 ? at(tAllocate) : at(shipOffsets[s - 1]!);
      const pickedAt = addMs(previous, (shippedAt.getTime() - previous.getTime()) * rng.float(0.3, 0.6));
      const packedAt = addMs(pickedAt, (shippedAt.getTime() - pickedAt.getTime()) * rng.float(0.3, 0.8));

      const totalKg = shipPortions.reduce((sum, p) => sum + portionKg(p), 0);
      const heaviestUnitKg = Math.max(...shipPortions.map((p) => p.line.row.unitFactor * p.line.product.eachKg));
      const ltl = totalKg > PARCEL_MAX_KG || heaviestUnitKg > 45;
      const scac: Scac = ltl
        ? rng.weighted<Scac>([
            ["ODFL", 60],
            ["RLCA", 40],
          ])
        : rng.weighted<Scac>([
            ["UPSN", 60],
            ["FDEG", 40],
          ]);
      const carrier = CARRIERS[scac];
      const serviceLevel = rng.weighted(carrier.services);
      const transitDays = serviceLevel === "NEXT_DAY_AIR" ? 1 : serviceLevel === "2ND_DAY_AIR" ? 2 : ltl ? rng.int(2, 6) : rng.int(1, 5);
      const estimatedDelivery = new Date(utcDate(shippedAt).getTime() + transitDays * DAY + (serviceLevel === "NEXT_DAY_AIR" ? 15 : 23) * HOUR);
      const lateHours = rng.chance(0.12) ? rng.float(4, 40) : 0;
      const deliveredCandidate = addMs(utcDate(shippedAt), transitDays * DAY + rng.float(14, 22) * HOUR + lateHours * HOUR);
      const deliveredPlanned = deliveredCandidate.getTime() > shippedAt.getTime() + 6 * HOUR ? deliveredCandidate : addMs(shippedAt, rng.float(20, 30) * HOUR);
      const span = deliveredPlanned.getTime() - shippedAt.getTime();
      const inTransitAt = addMs(shippedAt, span * rng.float(0.15, 0.4));
      const outForDeliveryAt = addMs(deliveredPlanned, -span * rng.float(0.04, 0.12));

      // Parcel cartons of about 30 kg at most, pallets of about 800 kg.
      const packaged = packPortions(rng, shipPortions, Math.ceil(totalKg / (ltl ? 800 : 30)));
      const proNumber = ltl ? String(scac === "ODFL" ? 7_000_000_000 + (ltlPro += rng.int(1, 500)) : 140_000_000 + (ltlPro += rng.int(1, 500))) : null;
      const packageIds: string[] = [];
      const shipmentLines: ShipmentLineRow[] = [];
      const drafts: { lineNumber: number; packageIndex: number; row: ShipmentLineRow }[] = [];
      let masterTracking: string | null = proNumber;
      packaged.forEach((contents, k) => {
        const packageId = `${shipmentId}-P${k + 1}`;
        packageIds.push(packageId);
        const kg = contents.reduce((sum, p) => sum + portionKg(p), 0) + (ltl ? rng.float(18, 25) : rng.float(0.2, 0.6));
        parcelSerial += rng.int(1, 40);
        const tracking = ltl
          ? proNumber
          : scac === "UPSN"
            ? upsTracking(warehouse.upsAccount, serviceLevel === "GROUND" ? "03" : serviceLevel === "2ND_DAY_AIR" ? "02" : "01", parcelSerial)
            : `78${pad(parcelSerial, 13)}`;
        if (k === 0 && !ltl) masterTracking = tracking;
        ssccSerial += rng.int(1, 25);
        data.packages.push({
          id: packageId,
          shipmentId,
          sscc: makeSscc(ltl ? 1 : 0, COMPANY_PREFIX, ssccSerial),
          trackingNumber: tracking,
          weightKg: kg.toFixed(3),
        });
        for (const p of contents)
          drafts.push({
            lineNumber: p.line.row.lineNumber,
            packageIndex: k,
            row: { id: "", shipmentId, packageId, orderLineId: p.line.row.id, sku: p.line.row.sku, quantity: p.qty, unit: p.line.row.unit },
          });
      });
      drafts
        .sort((x, y) => x.lineNumber - y.lineNumber || x.packageIndex - y.packageIndex)
        .forEach((d, i) => shipmentLines.push({ ...d.row, id: `${shipmentId}-L${i + 1}` }));
      data.shipmentLines.push(...shipmentLines);

      const milestonesPlanned: { code: MilestoneCode; at: Date; location: string; source: string; note: string | null }[] = [
        { code: "PICKED", at: pickedAt, location: warehouse.cityLabel, source: "wms", note: null },
        {
          code: "PACKED",
          at: packedAt,
          location: warehouse.cityLabel,
          source: "wms",
          note: `${packaged.length} ${ltl ? "pallet" : "carton"}${packaged.length > 1 ? "s" : ""}`,
        },
        { code: "PICKED_UP", at: shippedAt, location: warehouse.cityLabel, source: "tms", note: `${carrier.name} ${serviceLevel}` },
        { code: "IN_TRANSIT", at: inTransitAt, location: rng.pick(HUBS[bu]!), source: "carrier", note: ltl ? "Arrived at terminal" : "Departed facility" },
        { code: "OUT_FOR_DELIVERY", at: outForDeliveryAt, location: shipTo.cityLabel, source: "carrier", note: null },
        {
          code: "DELIVERED",
          at: deliveredPlanned,
          location: shipTo.cityLabel,
          source: "carrier",
          note: rng.chance(0.5) ? "Signed by RECEIVING" : "Delivered to dock",
        },
      ];
      const happened = milestonesPlanned.filter((m) => m.at.getTime() <= DEMO_NOW.getTime());
      const latest = happened[happened.length - 1]!.code;
      const shipmentStatus: ShipmentStatus =
        latest === "DELIVERED" ? "DELIVERED" : latest === "IN_TRANSIT" || latest === "OUT_FOR_DELIVERY" ? "IN_TRANSIT" : "SHIPPED";
      happened.forEach((m, i) =>
        data.milestones.push({
          id: `${shipmentId}-M${i + 1}`,
          shipmentId,
          code: m.code,
          occurredAt: m.at,
          location: m.location,
          source: m.source,
          note: m.note,
        }),
      );

      const externalRefs: ExternalRef[] = [{ system: "WMS", value: `WMS-SHP-${(wmsShipment += rng.int(1, 9))}` }];
      if (channel === "EDI") externalRefs.push({ system: "X12_856", value: `ASN${pad(wmsShipment, 9)}` });
      data.shipments.push({
        id: shipmentId,
        shipmentNumber: `SH-2026-${pad(shipmentSeq, 6)}`,
        orderId,
        shipFromLocationId: warehouse.id,
        carrierScac: scac,
        carrierName: carrier.name,
        serviceLevel,
        trackingNumber: masterTracking,
        status: shipmentStatus,
        shippedAt,
        estimatedDelivery,
        deliveredAt: shipmentStatus === "DELIVERED" ? deliveredPlanned : null,
        externalRefs,
      });
      shipmentInfo.push({
        id: shipmentId,
        shippedAt,
        lines: shipmentLines,
        scac,
        serviceLevel,
        packages: packaged.length,
        invoiceAt: at(shipOffsets[s]! + invoiceLags[s]!),
      });
    });

    // ---- line quantities consistent with status and shipments
    for (const line of lines) {
      const r = line.row;
      const allocatedKept = ships || status === "RELEASED" || status === "ALLOCATED";
      r.quantityAllocated = allocatedKept ? r.quantityOrdered : 0;
      r.quantityShipped = shipmentInfo.reduce((sum, s) => sum + s.lines.filter((l) => l.orderLineId === r.id).reduce((q, l) => q + l.quantity, 0), 0);
    }

    // ---- invoices: all shipments of INVOICED orders; for some SHIPPED orders, the first one
    const invoiceShipments =
      status === "INVOICED"
        ? shipmentInfo
        : status === "SHIPPED" && rng.chance(0.35)
          ? shipmentInfo.slice(0, 1).filter((s) => s.invoiceAt.getTime() <= DEMO_NOW.getTime())
          : [];
    const invoiceTimes: Date[] = [];
    for (const s of invoiceShipments) {
      invoiceSeq++;
      const invoiceId = `INV-${pad(invoiceSeq, 6)}`;
      // A SHIPPED order with an invoice on its only shipment has not reached the ERP yet.
      const postingStatus: PostingStatus =
        status === "SHIPPED" && shipmentInfo.length === 1
          ? rng.weighted<PostingStatus>([
              ["PENDING", 60],
              ["FAILED", 40],
            ])
          : rng.weighted<PostingStatus>([
              ["POSTED", 93],
              ["PENDING", 4],
              ["FAILED", 3],
            ]);
      const postedAt = postingStatus === "POSTED" ? addMs(s.invoiceAt, rng.float(0.03, 2) * HOUR) : null;
      const posted = postedAt !== null && postedAt.getTime() <= DEMO_NOW.getTime();
      const finalPosting: PostingStatus = postingStatus === "POSTED" && !posted ? "PENDING" : postingStatus;
      const erpDocumentNumber =
        finalPosting !== "POSTED" ? null : customer.erp === "SAP_ECC" ? String((sapBilling += rng.int(1, 30))) : `INV${(nsInvoice += rng.int(1, 12))}`;
      invoiceTimes.push(s.invoiceAt);

      // Lines: one per order line shipped (packages merged), priced from the order line.
      const byLine = new Map<string, { line: OrderLineRow; qty: number }>();
      for (const sl of s.lines) {
        const line = lines.find((l) => l.row.id === sl.orderLineId)!.row;
        const entry = byLine.get(line.id) ?? { line, qty: 0 };
        entry.qty += sl.quantity;
        byLine.set(line.id, entry);
      }
      let subtotal = new D(0);
      [...byLine.values()]
        .sort((a, b) => a.line.lineNumber - b.line.lineNumber)
        .forEach(({ line, qty }, i) => {
          const amount = cents(new D(line.unitPrice).mul(qty));
          subtotal = subtotal.add(amount);
          line.quantityInvoiced += qty;
          data.invoiceLines.push({
            id: `${invoiceId}-${i + 1}`,
            invoiceId,
            lineNumber: i + 1,
            orderLineId: line.id,
            sku: line.sku,
            quantity: qty,
            unit: line.unit,
            unitPrice: line.unitPrice,
            amount: amount.toFixed(2),
          });
        });

      const adjustments: InvoiceAdjustmentRow[] = [];
      const ltl = s.scac === "ODFL" || s.scac === "RLCA";
      if (rng.chance(ltl ? 0.7 : 0.35)) {
        const freight = new D((ltl ? rng.float(95, 420) : rng.float(8.5, 24) * s.packages).toFixed(2));
        adjustments.push({
          id: "",
          invoiceId,
          kind: "CHARGE",
          code: "FREIGHT",
          description: `Freight - ${CARRIERS[s.scac].name} ${s.serviceLevel}`,
          amount: freight.toFixed(2),
        });
        if (ltl && rng.chance(0.5))
          adjustments.push({
            id: "",
            invoiceId,
            kind: "CHARGE",
            code: "FUEL",
            description: "Fuel surcharge (18%)",
            amount: cents(freight.mul("0.18")).toFixed(2),
          });
      }
      if (rng.chance(0.15)) {
        const pct = rng.pick(["0.02", "0.03", "0.05"]);
        const promo = cents(subtotal.mul(pct));
        if (promo.greaterThan(0))
          adjustments.push({
            id: "",
            invoiceId,
            kind: "ALLOWANCE",
            code: "PROMO",
            description: `Promotional allowance Q4-2026 (${Number(pct) * 100}%)`,
            amount: promo.toFixed(2),
          });
      }
      adjustments.forEach((a, i) => (a.id = `${invoiceId}-A${i + 1}`));
      data.invoiceAdjustments.push(...adjustments);

      const chargesTotal = adjustments.filter((a) => a.kind === "CHARGE").reduce((sum, a) => sum.add(a.amount), new D(0));
      const allowancesTotal = adjustments.filter((a) => a.kind === "ALLOWANCE").reduce((sum, a) => sum.add(a.amount), new D(0));
      const taxRate = customer.taxExempt ? "0.0000" : TAX_RATES[shipTo.state]!;
      const taxable = subtotal.add(chargesTotal).sub(allowancesTotal);
      const taxTotal = cents(taxable.mul(taxRate));
      const total = taxable.add(taxTotal);

      const invoiceDate = utcDate(s.shippedAt);
      const dueDate = addDays(invoiceDate, customer.row.termsDays);
      const paidChance =
        finalPosting !== "POSTED" ? 0 : dueDate.getTime() < DEMO_NOW.getTime() ? 0.85 : addDays(invoiceDate, 10).getTime() < DEMO_NOW.getTime() ? 0.4 : 0.08;
      const invoiceStatus: InvoiceStatus = rng.chance(paidChance) ? "PAID" : "OPEN";
      data.invoices.push({
        id: invoiceId,
        invoiceNumber: `IN-2026-${pad(invoiceSeq, 6)}`,
        orderId,
        shipmentId: s.id,
        customerId: customer.row.id,
        businessUnitId: bu,
        status: invoiceStatus,
        postingStatus: finalPosting,
        erpDocumentNumber,
        postedAt: finalPosting === "POSTED" ? postedAt : null,
        invoiceDate,
        dueDate,
        currency: "USD",
        subtotal: subtotal.toFixed(2),
        chargesTotal: chargesTotal.toFixed(2),
        allowancesTotal: allowancesTotal.toFixed(2),
        taxRate,
        taxTotal: taxTotal.toFixed(2),
        total: total.toFixed(2),
        amountPaid: invoiceStatus === "PAID" ? total.toFixed(2) : "0.00",
      });
    }

    // ---- status history
    const history: { to: OrderStatus; at: Date; source: string; note: string | null }[] =
      status === "CREDIT_HOLD" ? [] : [{ to: "ACCEPTED", at: placedAt, source: CHANNEL_SOURCE[channel], note: channel === "EDI" ? "850 received" : null }];
    if (reached("ALLOCATED")) history.push({ to: "ALLOCATED", at: at(tConfirm), source: "inventory", note: "allocated in full" });
    if (reached("RELEASED")) history.push({ to: "RELEASED", at: at(tAllocate), source: "wms", note: null });
    if (ships) {
      const complete = status !== "PARTIALLY_SHIPPED";
      shipmentInfo.forEach((s, i) => {
        const last = i === shipmentInfo.length - 1;
        history.push({ to: complete && last ? "SHIPPED" : "PARTIALLY_SHIPPED", at: s.shippedAt, source: "tms", note: `Shipment ${s.id} picked up` });
      });
    }
    if (status === "INVOICED") {
      const invoicedAt = new Date(Math.max(...invoiceTimes.map((t) => t.getTime())));
      history.push({ to: "INVOICED", at: invoicedAt, source: "erp", note: `${invoiceShipments.length} invoice${invoiceShipments.length > 1 ? "s" : ""}` });
    }
    if (status === "CANCELLED") {
      const source = channel === "EDI" ? "edi-860" : interruptedAt === "ACCEPTED" ? CHANNEL_SOURCE[channel] : "erp";
      history.push({
        to: "CANCELLED",
        at: at(tInterrupt),
        source,
        note: rng.pick(["Cancelled at customer request", "Duplicate order", "Item discontinued", "Customer PO superseded"]),
      });
    }
    if (status === "CREDIT_HOLD") {
      const note = customer.row.creditHold
        ? "Customer on credit hold"
        : rng.pick([
            "Credit limit exceeded",
            "Credit check timed out: erp-finance did not answer within 2000 ms",
            "Past-due balance over 60 days",
            "Credit limit exceeded",
          ]);
      history.push({ to: "CREDIT_HOLD", at: placedAt, source: CHANNEL_SOURCE[channel], note });
    }
    history.forEach((h, i) =>
      data.orderStatusChanges.push({
        orderId,
        fromStatus: i === 0 ? null : history[i - 1]!.to,
        toStatus: h.to,
        changedAt: h.at,
        source: h.source,
        reason: h.note,
        correlationId: null,
      }),
    );

    // ---- external references
    let customerPo: string | null = null;
    const refs: OrderExternalRefRow[] = [];
    if (channel === "EDI") {
      customerPo = unique(refValues, () => String((ediPo += rng.int(1, 37))));
      refs.push({ orderId, system: "X12_850", value: customerPo });
    } else if (channel === "COMMERCE") {
      shopifyOrder += BigInt(rng.int(1_000_000, 900_000_000));
      refs.push({ orderId, system: "SHOPIFY", value: shopifyOrder.toString() });
    } else if (channel === "MARKETPLACE") {
      refs.push({ orderId, system: "AMAZON_BUSINESS", value: unique(refValues, () => `11${rng.int(1, 4)}-${rng.digits(7)}-${rng.digits(7)}`) });
    } else if (channel === "PORTAL") {
      if (rng.chance(0.6)) customerPo = `PO-${(portalPo += rng.int(1, 20))}`;
    } else {
      customerPo = `${customer.code}-${pad(rng.int(1, 99_999), 5)}`;
    }
    if (reached("ALLOCATED")) {
      const value = customer.erp === "SAP_ECC" ? `SO-${pad((sapSalesDoc += rng.int(1, 9)), 10)}` : `SO-${(nsSalesOrder += rng.int(1, 9))}`;
      refs.push({ orderId, system: customer.erp, value });
    }
    data.orderExternalRefs.push(...refs);

    const last = history[history.length - 1]!;
    data.orders.push({
      id: orderId,
      orderNumber: `SO-2026-${pad(n, 6)}`,
      customerId: customer.row.id,
      customerPo,
      channel,
      businessUnitId: bu,
      status,
      currency: "USD",
      placedAt,
      requestedShipDate: addDays(utcDate(placedAt), rng.int(1, 10)),
      shipToLocationId: null,
      shipToName: shipTo.name,
      shipToAddress: shipTo.address,
      version: history.length,
      createdAt: placedAt,
      updatedAt: last.at,
    });
    data.orderLines.push(...lines.map((l) => l.row));
  });

  return data;
}

// Which answers the entity cache may keep, and how it names the entities in them.
//
// Only types whose every change is announced in the event log are cacheable: an answer that
// selects any other object type (customers' credit, KPIs, inbound messages, dead letters...) is
// never cached, because nothing would tell the cache it went stale. Values that change with time
// alone rather than with a write are not in these types; GATEWAY_CACHE_TTL_MS bounds the rest.

/** Entities: the field whose value names one, matching the event log's aggregate id for the type. */
export const ENTITY_KEYS: Readonly<Record<string, string>> = {
  Order: "id",
  Product: "sku",
  // "sku@locationId", the InventoryChanged event's aggregate id.
  InventoryPosition: "id",
  Location: "id",
  Shipment: "id",
  Invoice: "id",
};

/** Object types inside entities (lines, packages, milestones...) and the lists that page them. */
const PARTS = [
  "OrderLine",
  "ExternalRef",
  "OrderStatusChange",
  "OrderCharge",
  "LineQuantities",
  "ShipTo",
  "UnitConversion",
  "Carrier",
  "Package",
  "ShipmentLine",
  "Milestone",
  "InvoiceLine",
  "InvoiceAdjustment",
  "PageInfo",
  "OrderConnection",
  "OrderEdge",
  "ProductConnection",
  "ProductEdge",
  "InventoryPositionConnection",
  "InventoryPositionEdge",
  "ShipmentConnection",
  "ShipmentEdge",
  "InvoiceConnection",
  "InvoiceEdge",
];

export const CACHEABLE_TYPES: ReadonlySet<string> = new Set(["Query", ...Object.keys(ENTITY_KEYS), ...PARTS]);

/** The tag of one entity, and of every entity of a type (lists and "not found" answers carry it). */
export const entityTag = (type: string, key: unknown) => `${type}:${String(key)}`;
export const typeTag = (type: string) => type;

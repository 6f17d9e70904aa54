// The X12 856 handler, wired here because its meaning depends on who sent it and so spans two
// domains: from one of our warehouses (the sender is a location's 3PL partner, configured with
// configureWarehouse) it confirms shipments of our orders (shipments domain, one per HL O); from
// anyone else it is a supplier's advance ship notice, recorded as inbound stock with its expected
// date (inventory domain). Parsing is one adapter (shipments/sources/x12-856.ts) either way.
import type { IngestHandler } from "../platform/ingest/handlers.js";
import type { ParsedSet } from "../platform/ingest/x12-envelope.js";
import { applyConfirmations, type ShipmentConfirmation } from "../subgraphs/shipments/confirmation.js";
import { isWarehousePartner } from "../subgraphs/shipments/warehouses.js";
import { parse856, toConfirmations, validate856, type AdvanceShipNotice } from "../subgraphs/shipments/sources/x12-856.js";
import { applySupplierAsn, mapSupplierAsn, type InboundAdvice } from "../subgraphs/inventory/sources/supplier-asn.js";

type ShipNoticeCommand = { kind: "shipment"; confirmations: ShipmentConfirmation[] } | { kind: "inbound"; advice: InboundAdvice };

export const shipNoticeHandler: IngestHandler<{ set: ParsedSet; sender: string }, AdvanceShipNotice, ShipNoticeCommand> = {
  source: "x12",
  kind: "856",
  parse: parse856,
  validate: validate856,
  async map(asn, db, scope) {
    if (await isWarehousePartner(db, asn.sender)) return { kind: "shipment", confirmations: toConfirmations(asn) };
    return { kind: "inbound", advice: await mapSupplierAsn(asn, db, scope) };
  },
  async apply(command, tx, ctx) {
    if (command.kind === "shipment") return applyConfirmations(command.confirmations, tx, ctx);
    return applySupplierAsn(tx, command.advice, ctx);
  },
};

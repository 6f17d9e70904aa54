// A small constructed history for the KPI tests, written straight into an empty (migrated)
// database, with every time chosen so the expected KPIs can be computed by hand (see kpis-suite.ts).
// The window under test is 2026-10-01T00:00Z .. 2026-10-02T00:00Z.
import type { Db } from "../../platform/db/client.js";
import type { OrderStatus } from "../../platform/db/generated/client.js";

const t = (s: string) => new Date(`2026-${s}Z`);

interface OrderSpec {
  id: string;
  bu: string;
  channel: "EDI" | "COMMERCE";
  status: OrderStatus;
  history: [OrderStatus, string][];
  lines: { ordered: number; factor: number; shipped: number }[];
}

export const kpiOrders: OrderSpec[] = [
  // credit hold first: accepted after 600 s, allocated after 1800 s, released -> shipped 7200 s
  {
    id: "K1",
    bu: "BU1",
    channel: "EDI",
    status: "INVOICED",
    lines: [{ ordered: 10, factor: 1, shipped: 10 }],
    history: [
      ["CREDIT_HOLD", "10-01T10:00:00"],
      ["ACCEPTED", "10-01T10:10:00"],
      ["ALLOCATED", "10-01T10:30:00"],
      ["RELEASED", "10-01T11:00:00"],
      ["SHIPPED", "10-01T13:00:00"],
      ["INVOICED", "10-01T14:00:00"],
    ],
  },
  // the perfect one: accepted at capture (0 s), allocated 1200 s, released -> shipped 3600 s
  {
    id: "K2",
    bu: "BU1",
    channel: "EDI",
    status: "SHIPPED",
    lines: [{ ordered: 2, factor: 12, shipped: 2 }],
    history: [
      ["ACCEPTED", "10-01T12:00:00"],
      ["ALLOCATED", "10-01T12:20:00"],
      ["RELEASED", "10-01T12:30:00"],
      ["SHIPPED", "10-01T13:30:00"],
    ],
  },
  // partial: accepted 300 s, never fully allocated, released -> partially shipped 3600 s, 4 of 10
  {
    id: "K3",
    bu: "BU1",
    channel: "EDI",
    status: "PARTIALLY_SHIPPED",
    lines: [{ ordered: 10, factor: 1, shipped: 4 }],
    history: [
      ["PRICE_HOLD", "10-01T15:00:00"],
      ["ACCEPTED", "10-01T15:05:00"],
      ["PARTIALLY_ALLOCATED", "10-01T15:06:00"],
      ["RELEASED", "10-01T15:10:00"],
      ["PARTIALLY_SHIPPED", "10-01T16:10:00"],
    ],
  },
  // another business unit and channel: accepted after 1200 s, nothing more
  {
    id: "K4",
    bu: "BU2",
    channel: "COMMERCE",
    status: "ACCEPTED",
    lines: [{ ordered: 5, factor: 1, shipped: 0 }],
    history: [
      ["CREDIT_HOLD", "10-01T09:00:00"],
      ["ACCEPTED", "10-01T09:20:00"],
    ],
  },
  // received the day before; its release (in the window) -> shipped 7200 s
  {
    id: "K5",
    bu: "BU1",
    channel: "EDI",
    status: "SHIPPED",
    lines: [{ ordered: 1, factor: 1, shipped: 1 }],
    history: [
      ["ACCEPTED", "09-30T23:00:00"],
      ["ALLOCATED", "10-01T01:00:00"],
      ["RELEASED", "10-01T02:00:00"],
      ["SHIPPED", "10-01T04:00:00"],
    ],
  },
];

export async function writeKpiHistory(db: Db) {
  for (const o of kpiOrders) {
    await db.order.create({
      data: {
        id: o.id,
        orderNumber: `SO-${o.id}`,
        customerId: "C1",
        channel: o.channel,
        businessUnitId: o.bu,
        status: o.status,
        currency: "USD",
        placedAt: t(o.history[0]![1]),
        lines: {
          create: o.lines.map((l, i) => ({
            id: `${o.id}-L${i + 1}`,
            lineNumber: i + 1,
            sku: "P1",
            unit: l.factor === 1 ? "EA" : "CS",
            unitFactor: l.factor,
            baseUnit: "EA",
            unitPrice: "1.00",
            quantityOrdered: l.ordered,
            quantityShipped: l.shipped,
          })),
        },
        statusHistory: {
          create: o.history.map(([to, at], i) => ({ fromStatus: i === 0 ? null : o.history[i - 1]![0], toStatus: to, changedAt: t(at), source: "test" })),
        },
      },
    });
  }

  await db.location.createMany({
    data: [
      { id: "WH1", code: "WH1", name: "One", kind: "WAREHOUSE" },
      { id: "WH2", code: "WH2", name: "Two", kind: "WAREHOUSE" },
    ],
  });
  await db.product.createMany({
    data: [
      { sku: "P1", description: "One", baseUnit: "EA" },
      { sku: "P2", description: "Two", baseUnit: "EA" },
    ],
  });
  await db.inventoryPosition.createMany({
    data: [
      { sku: "P1", locationId: "WH1", onHand: 5, asOf: t("10-05T00:00:00") }, // movements decide: 10-01T18:00 (age 21600 s); the one on 10-05 is after the window
      { sku: "P2", locationId: "WH1", onHand: 5, asOf: t("09-30T00:00:00"), levelAsOf: t("09-30T00:00:00") }, // age 172800 s
      { sku: "P1", locationId: "WH2", onHand: 5, asOf: t("10-01T23:00:00") }, // age 3600 s
      { sku: "P2", locationId: "WH2", onHand: 5, asOf: t("10-10T00:00:00") }, // first update after the window: not in the sample
    ],
  });
  await db.stockMovement.createMany({
    data: [
      { sku: "P1", locationId: "WH1", kind: "RECEIPT", quantity: 3, occurredAt: t("10-01T18:00:00"), sourceEventId: "m1" },
      { sku: "P1", locationId: "WH1", kind: "RECEIPT", quantity: 2, occurredAt: t("10-05T00:00:00"), sourceEventId: "m2" },
    ],
  });

  await db.businessUnit.createMany({
    data: ["BU1", "BU2"].map((id) => ({ id, name: id, erpSystem: "NETSUITE" as const, erpInstance: "x", deployment: "CLOUD" as const, currency: "USD" })),
  });
  await db.customer.createMany({
    data: [
      { id: "C1", name: "C1", businessUnitId: "BU1", creditLimit: "1000", currency: "USD", paymentTerms: "NET30", termsDays: 30 },
      { id: "C2", name: "C2", businessUnitId: "BU2", creditLimit: "1000", currency: "USD", paymentTerms: "NET30", termsDays: 30 },
    ],
  });
  const invoices: [string, string, "POSTED" | "FAILED" | "PENDING", string, boolean?][] = [
    ["I1", "BU1", "POSTED", "2026-10-01"],
    ["I2", "BU1", "POSTED", "2026-10-01"],
    ["I3", "BU1", "FAILED", "2026-10-01"],
    ["I4", "BU1", "PENDING", "2026-10-01"],
    ["I5", "BU1", "FAILED", "2026-10-01", true],
    ["I6", "BU2", "FAILED", "2026-10-01"],
    ["I7", "BU1", "POSTED", "2026-09-30"],
  ];
  await db.invoice.createMany({
    data: invoices.map(([id, bu, posting, date, isVoid]) => ({
      id,
      invoiceNumber: `INV-${id}`,
      orderId: "K1",
      customerId: bu === "BU1" ? "C1" : "C2",
      businessUnitId: bu,
      status: isVoid ? "VOID" : "OPEN",
      postingStatus: posting,
      invoiceDate: new Date(`${date}T00:00:00Z`),
      dueDate: new Date(`${date}T00:00:00Z`),
      currency: "USD",
      subtotal: "1",
      chargesTotal: "0",
      allowancesTotal: "0",
      taxRate: "0",
      taxTotal: "0",
      total: "1",
    })),
  });

  await db.shipment.createMany({
    data: [
      {
        id: "S1",
        shipmentNumber: "S1",
        orderId: "K1",
        shipFromLocationId: "WH1",
        carrierScac: "X",
        carrierName: "X",
        serviceLevel: "G",
        status: "DELIVERED",
        shippedAt: t("09-30T10:00:00"),
        deliveredAt: t("10-01T10:00:00"),
      }, // 86400 s
      {
        id: "S2",
        shipmentNumber: "S2",
        orderId: "K2",
        shipFromLocationId: "WH1",
        carrierScac: "X",
        carrierName: "X",
        serviceLevel: "G",
        status: "DELIVERED",
        shippedAt: t("10-01T13:00:00"),
        deliveredAt: t("10-01T19:00:00"),
      }, // 21600 s
      {
        id: "S3",
        shipmentNumber: "S3",
        orderId: "K3",
        shipFromLocationId: "WH1",
        carrierScac: "X",
        carrierName: "X",
        serviceLevel: "G",
        status: "SHIPPED",
        shippedAt: t("10-01T14:00:00"),
      },
    ],
  });

  const raw = Buffer.from("{}");
  const msg = (id: string, state: "DEAD_LETTER" | "PROCESSED" | "FAILED", attempts: number, received: string, processed?: string) => ({
    id,
    source: "wms",
    kind: "inventory-event",
    idempotencyKey: id,
    correlationId: `corr-${id}`,
    state,
    raw,
    attempts,
    receivedAt: t(received),
    processedAt: processed ? t(processed) : null,
  });
  await db.inboundMessage.createMany({
    data: [
      msg("M1", "DEAD_LETTER", 1, "10-01T05:00:00"),
      msg("M2", "PROCESSED", 3, "10-01T06:00:00", "10-01T06:30:00"), // resolved by a retry: 1800 s
      msg("M3", "PROCESSED", 1, "10-01T06:00:00", "10-01T06:00:01"), // never an exception
      msg("M4", "FAILED", 2, "10-01T07:00:00"),
      msg("M5", "DEAD_LETTER", 1, "09-30T07:00:00"), // before the window
    ],
  });
  await db.parkedEvent.createMany({
    data: [
      { consumer: "c", sequence: 1n, attempts: 3, error: "x", parkedAt: t("10-01T07:00:00"), resolvedAt: t("10-01T09:00:00") }, // 7200 s
      { consumer: "c", sequence: 2n, attempts: 3, error: "x", parkedAt: t("10-01T08:00:00") },
    ],
  });
}

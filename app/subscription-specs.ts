// Which event feeds which subscription field, how its arguments filter events, and which root
// query fetches the entity it carries. The domains own this mapping; the gateway's subscription
// engine (gateway/subscriptions) only executes it.
import type { StoredEvent } from "../platform/events/event-log.js";
import type { SubscriptionSpec } from "../gateway/subscriptions/spec.js";
import { INVENTORY_CHANGED } from "../subgraphs/inventory/stock-sync.js";
import { ORDER_STATUS_CHANGED } from "../subgraphs/orders/commands.js";
import { SHIPMENT_MILESTONE_RECORDED } from "../subgraphs/shipments/commands.js";
import { KPI_ALERT, type KpiAlertPayload } from "../platform/kpi/alerts.js";
import { ReturnChanged } from "../subgraphs/orders/returns.js";

// Event payloads are stored as JSON; each producer declares their shape, the filters read a few fields.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;
const common = (e: StoredEvent) => ({ sequence: String(e.sequence), occurredAt: e.occurredAt.toISOString() });

export const subscriptionSpecs: SubscriptionSpec[] = [
  {
    field: "inventoryChanged",
    eventType: INVENTORY_CHANGED,
    entityField: "position",
    entityQuery: { field: "inventoryPositionsByKey", argument: "keys", type: "[InventoryPositionKey!]!" },
    entityKey: (e) => ({ sku: (e.payload as Json).sku, locationId: (e.payload as Json).locationId }),
    matches: (e, a) => {
      const p = e.payload as Json;
      return (
        (a.sku == null || a.sku === p.sku) &&
        (a.locationId == null || a.locationId === p.locationId) &&
        (a.belowAvailable == null || p.after.available < (a.belowAvailable as number))
      );
    },
    eventFields: (e) => {
      const p = e.payload as Json;
      return { ...common(e), reason: p.reason, before: p.before, after: p.after };
    },
  },
  {
    field: "orderStatusChanged",
    eventType: ORDER_STATUS_CHANGED,
    entityField: "order",
    entityQuery: { field: "ordersById", argument: "ids", type: "[ID!]!" },
    entityKey: (e) => (e.payload as Json).orderId,
    matches: (e, a) => {
      const p = e.payload as Json;
      const statuses = a.statuses as string[] | null | undefined;
      return (
        (a.orderId == null || a.orderId === p.orderId) &&
        (a.customerId == null || a.customerId === p.customerId) &&
        (!statuses?.length || statuses.includes(p.newStatus))
      );
    },
    eventFields: (e) => {
      const p = e.payload as Json;
      const reason = p.reason ?? p.note ?? null;
      return { ...common(e), previousStatus: p.previousStatus, newStatus: p.newStatus, source: p.source, reason, note: reason };
    },
  },
  {
    field: "shipmentMilestoneRecorded",
    eventType: SHIPMENT_MILESTONE_RECORDED,
    entityField: "shipment",
    entityQuery: { field: "shipmentsById", argument: "ids", type: "[ID!]!" },
    entityKey: (e) => (e.payload as Json).shipmentId,
    matches: (e, a) => {
      const p = e.payload as Json;
      return (a.orderId == null || a.orderId === p.orderId) && (a.shipmentId == null || a.shipmentId === p.shipmentId);
    },
    eventFields: (e) => {
      const p = e.payload as Json;
      return { ...common(e), milestone: p.milestone, previousStatus: p.previousStatus, newStatus: p.newStatus };
    },
  },
  {
    field: "kpiAlert",
    eventType: KPI_ALERT,
    entityField: "window",
    entityQuery: { field: "kpiWindows", argument: "keys", type: "[KpiWindowKey!]!" },
    entityKey: (e) => {
      const p = e.payload as unknown as KpiAlertPayload;
      return { from: p.from, to: p.to, businessUnitId: p.businessUnitId, channel: p.channel };
    },
    matches: (e, a) => a.kpi == null || a.kpi === (e.payload as unknown as KpiAlertPayload).kpi,
    eventFields: (e) => {
      const p = e.payload as unknown as KpiAlertPayload;
      return { ...common(e), rule: p.rule, kpi: p.kpi, comparison: p.comparison, threshold: p.threshold, value: p.value, state: p.state };
    },
  },
  {
    field: "returnChanged",
    eventType: ReturnChanged.name,
    entityField: "return",
    entityQuery: { field: "returnAuthorizationsById", argument: "ids", type: "[ID!]!" },
    entityKey: (e) => ReturnChanged.payloadOf(e).returnId,
    matches: (e, a) => {
      const p = ReturnChanged.payloadOf(e);
      return (a.orderId == null || a.orderId === p.orderId) && (a.returnId == null || a.returnId === p.returnId);
    },
    eventFields: (e) => {
      const p = ReturnChanged.payloadOf(e);
      return { ...common(e), change: p.change, status: p.status };
    },
  },
];

// Declared event types: every payload is checked against its type's schema before it is appended.
import { describe, expect, it } from "vitest";
import { checkEventPayload, declaredEventTypes, EventSchemaError } from "../../platform/events/types.js";
import { OrderStatusChanged } from "../../subgraphs/orders/events.js";
import "../../app/consumers.js";

describe("typed events", () => {
  it("declares every event type the domains publish", () => {
    expect(declaredEventTypes()).toEqual(
      expect.arrayContaining([
        "InventoryChanged",
        "InvoiceCreated",
        "OrderAccepted",
        "OrderAllocationChanged",
        "OrderReleased",
        "OrderShipped",
        "OrderStatusChanged",
        "ProductChanged",
        "ReturnChanged",
        "ShipmentConfirmed",
        "ShipmentMilestoneRecorded",
      ]),
    );
  });

  it("accepts a payload of the declared shape", () => {
    expect(() =>
      checkEventPayload("OrderStatusChanged", {
        orderId: "O1",
        customerId: "C1",
        previousStatus: null,
        newStatus: "ACCEPTED",
        source: "api",
        reason: null,
        note: null,
      }),
    ).not.toThrow();
  });

  it("refuses a payload that does not fit, naming the type and each field", () => {
    expect(() =>
      checkEventPayload("OrderStatusChanged", { orderId: 7, customerId: "C1", previousStatus: null, newStatus: "SHIPPED_TWICE", source: "api", reason: null }),
    ).toThrow(
      new EventSchemaError(
        'OrderStatusChanged payload does not match its declared type: $.orderId: Invalid input: expected string, received number; $.newStatus: Invalid option: expected one of "CREDIT_HOLD"|"PRICE_HOLD"|"ACCEPTED"|"BACKORDERED"|"PARTIALLY_ALLOCATED"|"ALLOCATED"|"RELEASED"|"PARTIALLY_SHIPPED"|"SHIPPED"|"INVOICED"|"CLOSED"|"CANCELLED"|"REJECTED"; $.note: Invalid input: expected string, received undefined',
      ),
    );
  });

  it("refuses an undeclared event type", () => {
    expect(() => checkEventPayload("SomethingHappened", {})).toThrow(/event type SomethingHappened has no declared payload type/);
  });

  it("types a stored payload by its declaration, and refuses one of another type", () => {
    const p = OrderStatusChanged.payloadOf({ type: "OrderStatusChanged", payload: { orderId: "O1", newStatus: "ACCEPTED" } });
    expect(p.orderId).toBe("O1");
    expect(() => OrderStatusChanged.payloadOf({ type: "OrderAccepted", payload: {} })).toThrow(/expected a OrderStatusChanged event, got OrderAccepted/);
  });
});

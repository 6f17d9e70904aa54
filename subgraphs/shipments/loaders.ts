// Per-request DataLoaders for shipments and their children.
import { loaderOfMany, loaderOfOne } from "../../platform/graphql/batch.js";
import type { Db } from "../../platform/db/client.js";

export function createShipmentLoaders(db: Db) {
  return {
    shipmentById: loaderOfOne(
      (ids: string[]) => db.shipment.findMany({ where: { id: { in: ids } } }),
      (s) => s.id,
    ),
    shipmentsByOrderId: loaderOfMany(
      (ids: string[]) => db.shipment.findMany({ where: { orderId: { in: ids } }, orderBy: [{ orderId: "asc" }, { id: "asc" }] }),
      (s) => s.orderId,
    ),
    packagesByShipmentId: loaderOfMany(
      (ids: string[]) => db.package.findMany({ where: { shipmentId: { in: ids } }, orderBy: [{ shipmentId: "asc" }, { sscc: "asc" }] }),
      (p) => p.shipmentId,
    ),
    linesByShipmentId: loaderOfMany(
      (ids: string[]) => db.shipmentLine.findMany({ where: { shipmentId: { in: ids } }, orderBy: [{ shipmentId: "asc" }, { id: "asc" }] }),
      (l) => l.shipmentId,
    ),
    linesByPackageId: loaderOfMany(
      (ids: string[]) => db.shipmentLine.findMany({ where: { packageId: { in: ids } }, orderBy: [{ packageId: "asc" }, { id: "asc" }] }),
      (l) => l.packageId!,
    ),
    milestonesByShipmentId: loaderOfMany(
      (ids: string[]) => db.milestone.findMany({ where: { shipmentId: { in: ids } }, orderBy: [{ shipmentId: "asc" }, { occurredAt: "asc" }, { id: "asc" }] }),
      (m) => m.shipmentId,
    ),
    warehouseOrderById: loaderOfOne(
      (ids: string[]) => db.warehouseOrder.findMany({ where: { id: { in: ids } } }),
      (w) => w.id,
    ),
    warehouseOrdersByOrderId: loaderOfMany(
      (ids: string[]) => db.warehouseOrder.findMany({ where: { orderId: { in: ids } }, orderBy: [{ orderId: "asc" }, { createdAt: "asc" }, { id: "asc" }] }),
      (w) => w.orderId,
    ),
    warehouseOrderLines: loaderOfMany(
      (ids: string[]) =>
        db.warehouseOrderLine.findMany({ where: { warehouseOrderId: { in: ids } }, orderBy: [{ warehouseOrderId: "asc" }, { lineNumber: "asc" }] }),
      (l) => l.warehouseOrderId,
    ),
    shipmentsByWarehouseOrderId: loaderOfMany(
      (ids: string[]) => db.shipment.findMany({ where: { warehouseOrderId: { in: ids } }, orderBy: [{ warehouseOrderId: "asc" }, { shipmentNumber: "asc" }] }),
      (s) => s.warehouseOrderId!,
    ),
    deliveriesByDocumentId: loaderOfMany(
      (ids: string[]) => db.documentDelivery.findMany({ where: { documentId: { in: ids } }, orderBy: [{ documentId: "asc" }, { createdAt: "asc" }] }),
      (d) => d.documentId,
    ),
  };
}

export type ShipmentLoaders = ReturnType<typeof createShipmentLoaders>;

// How a sales order pulled from an ERP travels as an inbound message: the order as the ERP gave
// it (a Business Central salesOrder with its lines; the file ERP's CSV rows of one order, bytes
// as in the file) in an envelope naming the business unit and the ERP's system, which the
// sales-order adapter (sales-order.ts) needs to map the ERP's numbers.

export const SALES_ORDER_FORMAT_BC = "business-central/salesOrder";
export const SALES_ORDER_FORMAT_CSV = "file-exchange/orders-csv";

export interface SalesOrderEnvelope {
  format: typeof SALES_ORDER_FORMAT_BC | typeof SALES_ORDER_FORMAT_CSV;
  businessUnitId: string;
  system: string;
  /** BC: the salesOrder object. CSV: { file, firstLine, csv } with the header and this order's rows. */
  order: unknown;
}

export const salesOrderEnvelope = (e: SalesOrderEnvelope) => Buffer.from(JSON.stringify(e), "utf8");

// Loads demo data into an empty store: createMany per model in dependency order, in chunks, all
// inside one interactive transaction so a failure leaves nothing half-loaded.
import type { PrismaClient, Prisma } from "../platform/db/generated/client.js";
import { generateDemoData, type DemoData } from "./generate.js";

const CHUNK = 500;

/** True when no business unit exists yet (the demo data has never been loaded). */
export async function isStoreEmpty(db: PrismaClient): Promise<boolean> {
  return (await db.businessUnit.count()) === 0;
}

async function insertChunks<T>(rows: T[], createMany: (chunk: T[]) => Promise<{ count: number }>): Promise<number> {
  let count = 0;
  for (let i = 0; i < rows.length; i += CHUNK) count += (await createMany(rows.slice(i, i + CHUNK))).count;
  return count;
}

/** The reference data every order needs: business units, locations, products, stock, partners, customers, prices. */
async function insertReferenceData(tx: Prisma.TransactionClient, data: DemoData, counts: Record<string, number>, options: { unallocated: boolean }) {
  // Each step names its DemoData key, so the row type is checked against the model's input.
  counts.businessUnits = await insertChunks(data.businessUnits, (data) => tx.businessUnit.createMany({ data }));
  counts.locations = await insertChunks(data.locations, (data) => tx.location.createMany({ data }));
  counts.products = await insertChunks(data.products, (data) => tx.product.createMany({ data }));
  counts.unitConversions = await insertChunks(data.unitConversions, (data) => tx.unitConversion.createMany({ data }));
  // Without the generated orders, nothing holds stock: allocations come from the orders the flows place.
  const positions = options.unallocated ? data.inventoryPositions.map((p) => ({ ...p, allocated: 0 })) : data.inventoryPositions;
  counts.inventoryPositions = await insertChunks(positions, (data) => tx.inventoryPosition.createMany({ data }));
  counts.crossReferences = await insertChunks(data.crossReferences, (data) => tx.crossReference.createMany({ data, skipDuplicates: true }));
  counts.erpConnectors = await insertChunks(data.erpConnectors, (data) => tx.erpConnector.createMany({ data }));
  counts.customers = await insertChunks(data.customers, (data) => tx.customer.createMany({ data }));
  counts.priceListEntries = await insertChunks(data.priceListEntries, (data) => tx.priceListEntry.createMany({ data }));
  counts.catalogItems = await insertChunks(data.catalogItems, (data) => tx.catalogItem.createMany({ data }));
  counts.financeCatalogItems = await insertChunks(data.financeCatalogItems, (data) => tx.financeCatalogItem.createMany({ data }));
}

/**
 * npm start's load: the reference data only, with no stock allocated. Its orders, shipments,
 * invoices and returns are then made by the running app's own flows (demo/flows.ts), so each has
 * the events, history and documents real data has.
 */
export async function loadReferenceData(db: PrismaClient, data: DemoData = generateDemoData()): Promise<{ counts: Record<string, number> }> {
  const counts: Record<string, number> = {};
  await db.$transaction(async (tx: Prisma.TransactionClient) => insertReferenceData(tx, data, counts, { unallocated: true }), {
    timeout: 120_000,
    maxWait: 30_000,
  });
  return { counts };
}

/**
 * The whole generated data set, 1,000 orders with their shipments and invoices written directly
 * (no events): the test template, the benchmarks and `npm run db:seed`, where volume matters more
 * than each order's history.
 */
export async function loadDemoData(db: PrismaClient, data: DemoData = generateDemoData()): Promise<{ counts: Record<string, number> }> {
  const counts: Record<string, number> = {};
  await db.$transaction(
    async (tx: Prisma.TransactionClient) => {
      await insertReferenceData(tx, data, counts, { unallocated: false });
      counts.orders = await insertChunks(data.orders, (data) => tx.order.createMany({ data }));
      counts.orderLines = await insertChunks(data.orderLines, (data) => tx.orderLine.createMany({ data }));
      counts.orderExternalRefs = await insertChunks(data.orderExternalRefs, (data) => tx.orderExternalRef.createMany({ data }));
      counts.orderStatusChanges = await insertChunks(data.orderStatusChanges, (data) => tx.orderStatusChange.createMany({ data }));
      counts.shipments = await insertChunks(data.shipments, (data) => tx.shipment.createMany({ data }));
      counts.packages = await insertChunks(data.packages, (data) => tx.package.createMany({ data }));
      counts.shipmentLines = await insertChunks(data.shipmentLines, (data) => tx.shipmentLine.createMany({ data }));
      counts.milestones = await insertChunks(data.milestones, (data) => tx.milestone.createMany({ data }));
      counts.invoices = await insertChunks(data.invoices, (data) => tx.invoice.createMany({ data }));
      counts.invoiceLines = await insertChunks(data.invoiceLines, (data) => tx.invoiceLine.createMany({ data }));
      counts.invoiceAdjustments = await insertChunks(data.invoiceAdjustments, (data) => tx.invoiceAdjustment.createMany({ data }));
    },
    { timeout: 120_000, maxWait: 30_000 },
  );
  return { counts };
}

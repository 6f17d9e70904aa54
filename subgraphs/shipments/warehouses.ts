// Questions about our warehouse locations that other parts of the graph ask the shipments domain.
import type { Db } from "../../platform/db/client.js";

/** Is this X12 interchange id ("ZZ:ACME3PL") one of our locations' third-party warehouses? */
export async function isWarehousePartner(db: Db, partner: string): Promise<boolean> {
  return (await db.warehouseEndpoint.count({ where: { partner } })) > 0;
}

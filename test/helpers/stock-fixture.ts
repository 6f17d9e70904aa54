// A small item master and location set for stock-sync tests that do not need the demo data.
import type { Db } from "../../platform/db/client.js";

export const fixtureSkus = ["FX-1", "FX-2", "FX-3", "FX-4", "FX-5"];
export const fixtureLocations = ["FX-WH-A", "FX-WH-B", "FX-WH-C"];

export async function createStockFixture(db: Db) {
  await db.product.createMany({ data: fixtureSkus.map((sku) => ({ sku, description: `Fixture item ${sku}`, baseUnit: "EA" })) });
  await db.location.createMany({ data: fixtureLocations.map((code) => ({ id: `LOC-${code}`, code, name: code, kind: "WAREHOUSE" as const })) });
}

export const locationIdOf = (code: string) => `LOC-${code}`;

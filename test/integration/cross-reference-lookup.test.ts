// Cross-reference lookups for a whole document at once (an 846 or count snapshot of tens of
// thousands of lines): one statement however many keys, on both stores. A list of tuples failed on
// PGlite at 5,000 keys ("unnamed prepared statement does not exist") and would pass PostgreSQL's
// 65,535 bind parameters at 21,846.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findCrossReferences, keyOf, upsertCrossReferences } from "../../platform/mapping/cross-references.js";
import { createTestDatabase, postgresAvailable, type StoreKind, type TestDatabase } from "../helpers/databases.js";

const stores: StoreKind[] = postgresAvailable() ? ["pglite", "postgres"] : ["pglite"];

describe.each(stores)("findCrossReferences with 30,000 keys (%s)", (kind) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(kind, { demo: false });
  });
  afterAll(async () => database?.close());

  it("finds exactly the keys that have a reference, in one statement", async () => {
    await upsertCrossReferences(database.db, [
      { kind: "PRODUCT", system: "WMS-LOOKUP", externalValue: "ITEM-00007", canonicalId: "SKU-7" },
      { kind: "PRODUCT", system: "WMS-LOOKUP", externalValue: "ITEM-29999", canonicalId: "SKU-29999" },
      { kind: "LOCATION", system: "WMS-LOOKUP", externalValue: "ITEM-00007", canonicalId: "LOC-7" },
    ]);
    const keys = Array.from({ length: 30_000 }, (_, i) => ({
      kind: "PRODUCT" as const,
      system: "WMS-LOOKUP",
      externalValue: `ITEM-${String(i).padStart(5, "0")}`,
    }));
    const found = await findCrossReferences(database.db, keys);
    expect(found).toEqual(
      new Map([
        [keyOf({ kind: "PRODUCT", system: "WMS-LOOKUP", externalValue: "ITEM-00007" }), "SKU-7"],
        [keyOf({ kind: "PRODUCT", system: "WMS-LOOKUP", externalValue: "ITEM-29999" }), "SKU-29999"],
      ]),
    );
  });
});

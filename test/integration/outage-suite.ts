// Embedded mode: a subgraph whose storage fails (its PostgreSQL schema is gone) loses only the
// fields it resolves; the objects other subgraphs own survive. Each subgraph fails in turn. Run
// inside the graph suite, on its app (one app per store).
import { expect, it, vi } from "vitest";
import type { TestApp } from "../helpers/embedded-app.js";
import { expectSurvivors, outageCases } from "../helpers/outage-cases.js";
import { generateDemoData } from "../../demo/generate.js";

/** The PostgreSQL schema each subgraph keeps its tables in. */
const storageSchema = { orders: "orders", inventory: "inventory", "erp-finance": "finance", shipments: "shipments", operations: "platform" } as const;

export function subgraphOutageTests(app: () => TestApp) {
  for (const c of outageCases(generateDemoData())) {
    it(`keeps the rest of the answer while ${c.down}'s storage fails`, async () => {
      const t = app();
      const schema = storageSchema[c.down];
      vi.spyOn(process.stdout, "write").mockImplementation(() => true); // the subgraph logs each database error (JSON lines on stdout)
      await t.database.db.$executeRawUnsafe(`ALTER SCHEMA "${schema}" RENAME TO "${schema}_away"`);
      try {
        const errors = await expectSurvivors(t.app.url, c);
        for (const e of errors) expect(e.extensions?.code).toBe("INTERNAL_SERVER_ERROR");
      } finally {
        await t.database.db.$executeRawUnsafe(`ALTER SCHEMA "${schema}_away" RENAME TO "${schema}"`);
        vi.restoreAllMocks();
      }
    });
  }
}

import { describe, expect, it } from "vitest";
import { healthSuite } from "./health-suite.js";
import { startTestApp } from "../helpers/embedded-app.js";

healthSuite("pglite");

describe("health when the database stops answering", () => {
  it("turns 503 naming the database", async () => {
    const t = await startTestApp("pglite", { demo: false, serverConfig: { healthCheckTimeoutMs: 500 } });
    try {
      const health = t.app.url.replace(/\/graphql$/, "/health/ready");
      expect((await fetch(health)).status).toBe(200);
      await t.database.store.close();
      const res = await fetch(health);
      expect(res.status).toBe(503);
      expect(await res.json()).toMatchObject({ status: "not ready", code: "NOT_READY", checks: { supergraph: true, database: false, databaseWrites: false } });
    } finally {
      await t.close();
    }
  });
});

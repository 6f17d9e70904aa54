// /health is ready only while the supergraph is loaded and the database answers.
import { describe, expect, it } from "vitest";
import { startTestApp } from "../helpers/embedded-app.js";

describe("health", () => {
  it("turns 503 when the database stops answering", async () => {
    const t = await startTestApp("pglite", { demo: false });
    try {
      const health = t.app.url.replace(/\/graphql$/, "/health");
      expect((await fetch(health)).status).toBe(200);
      await t.database.store.close();
      const res = await fetch(health);
      expect(res.status).toBe(503);
      expect(await res.json()).toEqual({ status: "not ready", checks: { supergraph: true, database: false } });
    } finally {
      await t.close();
    }
  });
});

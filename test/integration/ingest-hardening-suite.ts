// Ingestion under hostile and unusual input, through HTTP with real bytes, on each store: exact
// raw bytes, store-first for any body, idempotency conflicts, the original's outcome for a resend,
// X12 envelopes (byte-order mark, keys, counts as warnings, exact set bytes, re-splitting on
// replay, SDQ locations), and the stock rules (snapshot scope, clock skew, bounds).
// One app (no demo data, a small fixture) serves every group of tests in this file.
import { afterAll, beforeAll, describe } from "vitest";
import { startTestApp, type TestApp } from "../helpers/embedded-app.js";
import { createStockFixture } from "../helpers/stock-fixture.js";
import type { StoreKind } from "../helpers/databases.js";
import { HARDENING_SHOP, HARDENING_SHOP_SECRET, type HardeningContext } from "./hardening/context.js";
import { rawBytesTests } from "./hardening/raw-bytes.js";
import { idempotencyTests } from "./hardening/idempotency.js";
import { x12EnvelopeTests } from "./hardening/x12-envelope.js";
import { stockRuleTests } from "./hardening/stock-rules.js";
import { rawBodyTests } from "./hardening/raw-bodies.js";

export const HARDENING_INGEST = {
  maxClockSkewMs: 5 * 60_000,
  oversizedPrefixBytes: 1024,
  rawReadBudgetBytes: 250 * 1024,
  // The sweep is exercised directly (pruneRawBodies); the timer must not interfere.
  rawRetentionMs: null,
  shopifyWebhookSecrets: new Map([[HARDENING_SHOP, HARDENING_SHOP_SECRET]]),
};

export function ingestHardeningSuite(kind: StoreKind) {
  describe(`ingestion hardening on ${kind}`, () => {
    const ctx = {} as HardeningContext;
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp(kind, { demo: false, hostOptions: { pollIntervalMs: 60_000, ingest: HARDENING_INGEST } });
      await createStockFixture(t.database.db);
      Object.assign(ctx, { t, db: t.database.db, url: t.app.url, base: t.app.url.replace(/\/graphql$/, "/") });
    });
    afterAll(async () => t?.close());

    rawBytesTests(ctx);
    idempotencyTests(ctx);
    x12EnvelopeTests(ctx);
    stockRuleTests(ctx);
    rawBodyTests(ctx);
  });
}

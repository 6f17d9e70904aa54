// Order capture from every channel, through HTTP with real bytes, on each store: X12 850 (the
// sample and written documents; 855 and 997 back), EDIFACT ORDERS D.96A, Shopify order webhooks
// (HMAC, duplicates, out-of-order updates), the credit check under concurrent orders, the
// 846 adapter's codes as mapping rows, and the 850's identifiers, GS1 check digits and pack sizes.
// One app (no demo data, a small fixture) serves every group of tests in this file.
import { afterAll, beforeAll, describe } from "vitest";
import { startTestApp, type TestApp } from "../helpers/embedded-app.js";
import type { StoreKind } from "../helpers/databases.js";
import { createChannelFixture, SHOP, SHOP_SECRET, type ChannelContext } from "./channels/context.js";
import { x12ChannelTests } from "./channels/x12.js";
import { edifactChannelTests } from "./channels/edifact.js";
import { shopifyChannelTests } from "./channels/shopify.js";
import { creditRaceTests } from "./channels/credit-race.js";
import { x12AdviceRowsTests } from "./channels/x12-846-rows.js";
import { x12IdentifierTests } from "./channels/x12-identifiers.js";

export function orderChannelsSuite(kind: StoreKind) {
  describe(`order channels on ${kind}`, () => {
    const ctx = {} as ChannelContext;
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp(kind, {
        demo: false,
        // A generous credit deadline: these tests are about channels on a busy 2-core machine; the deadline has its own tests.
        hostOptions: { pollIntervalMs: 200, creditCheckTimeoutMs: 60_000, ingest: { shopifyWebhookSecrets: new Map([[SHOP, SHOP_SECRET]]) } },
      });
      Object.assign(ctx, { t, db: t.database.db, url: t.app.url, base: t.app.url.replace(/\/graphql$/, "/") });
      await createChannelFixture(ctx);
    });
    afterAll(async () => t?.close());

    describe("X12 850", () => x12ChannelTests(ctx));
    describe("EDIFACT ORDERS D.96A", () => edifactChannelTests(ctx));
    describe("Shopify orders", () => shopifyChannelTests(ctx));
    describe("credit check under concurrent orders", () => creditRaceTests(ctx));
    describe("X12 846 on mapping rows", () => x12AdviceRowsTests(ctx));
    describe("X12 850 identifiers, check digits, pack sizes and envelope keys", () => x12IdentifierTests(ctx));
  });
}

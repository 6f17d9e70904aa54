// The ERP connectors on each store, against real HTTP (a Business Central API v2.0 stand-in on
// 127.0.0.1) and real files (a file-ERP stand-in on a temporary exchange folder): customers and
// sales orders from each ERP kind, invoice postings (down, slow, refusing, recovering: never
// twice), credit memos, and inbound supplier 810s. One app serves every group in this file; the
// groups run in order (customers first: the others post for them).
import { afterAll, beforeAll, describe } from "vitest";
import type { StoreKind } from "../helpers/databases.js";
import { startErpApp, stopErpApp, type ErpContext } from "./erp/context.js";
import { masterDataTests } from "./erp/master-data.js";
import { postingTests } from "./erp/posting.js";
import { creditMemoTests } from "./erp/credit-memos.js";
import { supplier810Tests } from "./erp/supplier-810.js";

export function erpConnectorsSuite(kind: StoreKind) {
  describe(`ERP connectors on ${kind}`, () => {
    const ctx = {} as ErpContext;
    let started: ErpContext | undefined;
    beforeAll(async () => {
      started = await startErpApp(kind);
      Object.assign(ctx, started);
    });
    afterAll(async () => stopErpApp(started));

    describe("customers and sales orders from each ERP", () => masterDataTests(ctx));
    describe("invoice posting", () => postingTests(ctx));
    describe("credit memos", () => creditMemoTests(ctx));
    describe("supplier invoices (X12 810)", () => supplier810Tests(ctx));
  });
}

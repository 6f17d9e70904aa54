// Embedded mode runs identical subgraph queries in flight at once for one caller identity once
// (SUBGRAPH_SHARE_INFLIGHT, on by default), as the standalone gateway does over HTTP: every
// operation gets a complete answer of its own; a mutation always runs once per operation; two
// identities never share (row rules). The overlap is made, not hoped for: another transaction holds
// the orders table, so the orders subgraph's first read waits until the test lets it go, and the
// statement log (which records a statement before it runs) shows what reached the database.
// Run inside the graph suite, on its app (one app per store).
import { expect, it } from "vitest";
import type { TestApp } from "../helpers/embedded-app.js";
import { gql } from "../helpers/graphql.js";
import { signTestToken } from "../helpers/auth.js";
import { waitFor } from "../helpers/wait.js";
import { graphqlRequests, subgraphFetchesShared } from "../../platform/telemetry/metrics.js";

/** A read of the orders table (not of OrderLine: the quote closes the name). */
const ORDERS_READ = /FROM "orders"\."Order"/;

const sharedFetches = async () => (await subgraphFetchesShared.get()).values.find((v) => v.labels.subgraph === "orders")?.value ?? 0;
/** Operations the orders subgraph executed (every outcome). */
const ordersExecutions = async () => (await graphqlRequests.get()).values.filter((v) => v.labels.server === "orders").reduce((n, v) => n + v.value, 0);

/** Holds the orders table in another transaction until the returned function is called. */
async function holdOrdersTable(t: TestApp): Promise<() => Promise<void>> {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let locked!: () => void;
  const isLocked = new Promise<void>((resolve) => (locked = resolve));
  const holder = t.database.db.$transaction(
    async (tx) => {
      await tx.$executeRawUnsafe(`LOCK TABLE orders."Order" IN ACCESS EXCLUSIVE MODE`);
      locked();
      await released;
    },
    { timeout: 120_000 },
  );
  await Promise.race([isLocked, holder]);
  return async () => {
    release();
    await holder;
  };
}

export function inFlightSharingTests(app: () => TestApp) {
  /** Reads of the orders table logged since `from`. */
  const ordersReadsSince = (from: number) =>
    app()
      .database.statements.statements.slice(from)
      .filter((s) => ORDERS_READ.test(s)).length;

  async function underHold<T>(run: () => Promise<T>): Promise<T> {
    const log = app().database.statements;
    const keptText = log.keepText;
    log.keepText = true;
    try {
      return await run();
    } finally {
      log.keepText = keptText;
    }
  }

  it("runs identical queries in flight at once for one caller once, and gives every operation the whole answer", () =>
    underHold(async () => {
      const t = app();
      const query = `{ orders(first: 5, filter: { status: [INVOICED] }) { nodes { id status customerPo lines { lineNumber sku quantityOrdered } } } }`;
      const authorization = `Bearer ${await signTestToken({ sub: "dashboard" })}`;
      const [sharedBefore, executionsBefore, from] = [await sharedFetches(), await ordersExecutions(), t.database.statements.statements.length];
      const release = await holdOrdersTable(t);
      let answers;
      try {
        const same = Array.from({ length: 8 }, () => gql(t.app.url, query, undefined, { authorization }));
        await waitFor(async () => (await sharedFetches()) - sharedBefore === 7 || null, "seven of the eight operations to join the first one's fetch");
        expect(ordersReadsSince(from)).toBe(1);
        await release();
        answers = await Promise.all(same);
      } finally {
        await release();
      }
      for (const a of answers) expect(a.errors).toBeUndefined();
      // Every answer whole and the same, as the stored data has it.
      expect(new Set(answers.map((a) => JSON.stringify(a.data))).size).toBe(1);
      const nodes = answers[0].data.orders.nodes as { id: string; status: string; lines: unknown[] }[];
      expect(nodes).toHaveLength(5);
      for (const n of nodes) {
        expect(n.status).toBe("INVOICED");
        expect(n.lines).toHaveLength(t.demo.orderLines.filter((l) => l.orderId === n.id).length);
      }
      expect((await ordersExecutions()) - executionsBefore).toBe(1);
      expect(ordersReadsSince(from)).toBe(1);
    }));

  it("never shares between two identities: each caller's query runs with its own row rules", () =>
    underHold(async () => {
      const t = app();
      const [first, second] = [...new Set(t.demo.orders.map((o) => o.customerId))];
      const query = `{ orders(first: 500) { nodes { id } } }`;
      const tokens = await Promise.all([first, second].map((customerId) => signTestToken({ sub: `buyer-${customerId}`, scopes: ["orders:read"], customerId })));
      const [sharedBefore, from] = [await sharedFetches(), t.database.statements.statements.length];
      const release = await holdOrdersTable(t);
      let answers;
      try {
        const both = tokens.map((token) => gql(t.app.url, query, undefined, { authorization: `Bearer ${token}` }));
        await waitFor(async () => ordersReadsSince(from) === 2 || null, "both callers' reads at the database");
        await release();
        answers = await Promise.all(both);
      } finally {
        await release();
      }
      expect((await sharedFetches()) - sharedBefore).toBe(0);
      for (const [i, customerId] of [first, second].entries()) {
        const own = t.demo.orders.filter((o) => o.customerId === customerId).map((o) => o.id);
        const ids = (answers[i].data.orders.nodes as { id: string }[]).map((n) => n.id);
        expect(ids.length).toBeGreaterThan(0);
        expect(own).toEqual(expect.arrayContaining(ids));
      }
    }));

  it("never shares a mutation: identical ones in flight at once each run", () =>
    underHold(async () => {
      const t = app();
      // Refused after one read of the order (an invoiced order is not on hold): nothing is written.
      const invoiced = t.demo.orders.find((o) => o.status === "INVOICED")!;
      const mutation = `mutation($id: ID!) { releaseOrderHold(id: $id, reason: "same click twice") { id status } }`;
      const [sharedBefore, executionsBefore, from] = [await sharedFetches(), await ordersExecutions(), t.database.statements.statements.length];
      const release = await holdOrdersTable(t);
      let answers;
      try {
        const twice = [0, 1].map(() => gql(t.app.url, mutation, { id: invoiced.id }));
        await waitFor(async () => ordersReadsSince(from) === 2 || null, "both mutations' reads at the database");
        await release();
        answers = await Promise.all(twice);
      } finally {
        await release();
      }
      for (const a of answers) expect(a.errors?.map((e) => e.extensions?.code)).toEqual(["INVALID_STATUS_TRANSITION"]);
      expect((await sharedFetches()) - sharedBefore).toBe(0);
      expect((await ordersExecutions()) - executionsBefore).toBe(2);
    }));
}

// The exception queue (Query.exceptions and its actions) through the gateway, over real failures:
// a WMS event for an unknown item (dead letter), an idempotency key reused with other content
// (conflict), an event a consumer set aside (parked). One app per store; each test makes its own.
import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StoreKind } from "../helpers/databases.js";
import { startTestApp, type TestApp } from "../helpers/embedded-app.js";
import { gql, gqlOk } from "../helpers/graphql.js";
import { post } from "../helpers/ingest.js";
import { signTestToken } from "../helpers/auth.js";
import { stockAvailabilityProjection } from "../../subgraphs/orders/events.js";
import { queueDelivery, storeDocument } from "../../platform/documents/index.js";
import { waitFor } from "../helpers/wait.js";
import { runOps } from "../helpers/ops-cli.js";

const FIELDS = "id domain source kind state reason correlationId raisedAt resolvedAt resolutionNote rawPayload";
const LIST = `query($filter: ExceptionFilter, $first: Int, $after: String) {
  exceptions(filter: $filter, first: $first, after: $after) {
    totalCount unavailableDomains pageInfo { hasNextPage hasPreviousPage endCursor } edges { cursor node { id } } nodes { ${FIELDS} } } }`;
const ONE = `query($id: ID!) { exception(id: $id) { ${FIELDS} } }`;
const RETRY = `mutation($id: ID!) { retryException(id: $id) { ${FIELDS} } }`;
const RESOLVE = `mutation($id: ID!, $note: String!) { resolveException(id: $id, note: $note) { ${FIELDS} } }`;
const DISCARD = `mutation($id: ID!, $note: String!) { discardException(id: $id, note: $note) { ${FIELDS} } }`;

export function exceptionsSuite(kind: StoreKind) {
  describe(`exception queue on ${kind}`, () => {
    let t: TestApp;
    let url: string;
    let base: string;
    const receipt = (eventId: string, sku: string, quantity = 5) =>
      JSON.stringify({ eventId, type: "RECEIPT", sku, location: "WH-ATL", quantity, occurredAt: "2026-11-28T13:00:00Z" });

    // A partner's endpoint that refuses documents until it is switched on.
    let accepting = false;
    const delivered: string[] = [];
    const partner = http.createServer((req, res) => {
      let body = "";
      req.on("data", (c) => (body += c));
      req.on("end", () => {
        if (!accepting) return void res.writeHead(503).end("partner inbox closed for maintenance");
        delivered.push(body);
        res.writeHead(200).end("ok");
      });
    });

    beforeAll(async () => {
      await new Promise<void>((r) => partner.listen(0, "127.0.0.1", r));
      // One delivery attempt before a document is an exception, checked every 100 ms.
      t = await startTestApp(kind, { hostOptions: { pollIntervalMs: 60_000, delivery: { maxAttempts: 1, pollMs: 100 } } });
      url = t.app.url;
      base = url.replace(/\/graphql$/, "/");
    });
    afterAll(async () => {
      await t?.close();
      await new Promise((r) => partner.close(r));
    });

    it("lists a dead letter with its reason, raw bytes and correlation id, and resolves it by a retry after the fix", async () => {
      const body = receipt("exc-dead-1", "SKU-EXC-1");
      const res = await post(base, "/ingest/wms/inventory", body, { "x-correlation-id": "corr-exc-dead-1" });
      expect(res.json).toMatchObject({ state: "DEAD_LETTER", failedStep: "MAP" });
      const id = `DEAD_LETTER:${res.json.messageId}`;

      const open = (await gqlOk(url, LIST, { filter: { kind: ["DEAD_LETTER"], state: ["OPEN"], source: ["wms"] } })).exceptions;
      const node = open.nodes.find((n: any) => n.id === id);
      expect(node).toMatchObject({
        domain: "operations",
        source: "wms",
        kind: "DEAD_LETTER",
        state: "OPEN",
        correlationId: "corr-exc-dead-1",
        resolvedAt: null,
        resolutionNote: null,
      });
      expect(node.reason).toMatch(/SKU-EXC-1/);
      expect(node.rawPayload).toBe(body);
      expect(Date.parse(node.raisedAt)).toBeGreaterThan(Date.now() - 60_000);

      // Retrying before the fix fails again: still OPEN, same raise time.
      const early = (await gqlOk(url, RETRY, { id })).retryException;
      expect(early).toMatchObject({ id, state: "OPEN", raisedAt: node.raisedAt });

      await t.database.db.product.create({ data: { sku: "SKU-EXC-1", description: "Onboarded after the dead letter", baseUnit: "EA" } });
      const retried = (await gqlOk(url, RETRY, { id })).retryException;
      expect(retried).toMatchObject({ id, state: "RESOLVED", resolutionNote: "replayed: processed", reason: node.reason });
      expect(Date.parse(retried.resolvedAt)).toBeGreaterThanOrEqual(Date.parse(node.raisedAt));
      const position = await gqlOk(url, `{ inventoryPosition(sku: "SKU-EXC-1", locationId: "LOC-WH-ATL") { onHand } }`);
      expect(position.inventoryPosition.onHand).toBe(5);

      // It left the open queue and is found among the resolved; a second retry is refused.
      const stillOpen = (await gqlOk(url, LIST, { filter: { kind: ["DEAD_LETTER"], state: ["OPEN"] }, first: 500 })).exceptions.nodes;
      expect(stillOpen.map((n: any) => n.id)).not.toContain(id);
      expect((await gqlOk(url, LIST, { filter: { state: ["RESOLVED"] }, first: 500 })).exceptions.nodes.map((n: any) => n.id)).toContain(id);
      const again = await gql(url, RETRY, { id });
      expect(again.errors?.[0]).toMatchObject({ extensions: { code: "INVALID_STATUS_TRANSITION" } });
      expect(again.errors?.[0].message).toMatch(/is RESOLVED.*only OPEN/);
    });

    it("shows a conflict, refuses to retry it, and discards it with a note and time", async () => {
      await post(base, "/ingest/wms/inventory", receipt("exc-conflict-1", "SKU-10001", 1));
      const res = await post(base, "/ingest/wms/inventory", receipt("exc-conflict-1", "SKU-10001", 9), { "x-correlation-id": "corr-exc-conflict" });
      expect(res.json).toMatchObject({ state: "DEAD_LETTER", failedStep: "IDEMPOTENCY" });
      const id = `CONFLICT:${res.json.messageId}`;
      const found = (await gqlOk(url, ONE, { id })).exception;
      expect(found).toMatchObject({ id, kind: "CONFLICT", state: "OPEN", source: "wms", correlationId: "corr-exc-conflict" });
      // The dead-letter id of the same message names the wrong kind: not found.
      expect((await gqlOk(url, ONE, { id: `DEAD_LETTER:${res.json.messageId}` })).exception).toBeNull();

      const retry = await gql(url, RETRY, { id });
      expect(retry.errors?.[0]).toMatchObject({ extensions: { code: "INVALID_STATUS_TRANSITION" } });
      expect(retry.errors?.[0].message).toMatch(/idempotency conflict/);
      const blank = await gql(url, DISCARD, { id, note: "   " });
      expect(blank.errors?.[0]).toMatchObject({ extensions: { code: "INVALID_ARGUMENT", argument: "note" } });

      const discarded = (await gqlOk(url, DISCARD, { id, note: "  partner resent the corrected receipt under a new id " })).discardException;
      expect(discarded).toMatchObject({ id, state: "DISCARDED", resolutionNote: "partner resent the corrected receipt under a new id" });
      expect(discarded.resolvedAt).not.toBeNull();
      const row = await t.database.db.inboundMessage.findUnique({ where: { id: res.json.messageId } });
      expect(row).toMatchObject({ state: "DEAD_LETTER", exceptionState: "DISCARDED" });
      const resolveAfter = await gql(url, RESOLVE, { id, note: "too late" });
      expect(resolveAfter.errors?.[0]).toMatchObject({ extensions: { code: "INVALID_STATUS_TRANSITION" } });
    });

    it("lists a parked event with its event's correlation id and payload, and resolves it by a retry", async () => {
      const res = await post(base, "/ingest/wms/inventory", receipt("exc-parked-1", "SKU-10001", 2), { "x-correlation-id": "corr-exc-parked" });
      expect(res.json.state).toBe("PROCESSED");
      const event = await t.database.db.eventLog.findFirstOrThrow({
        where: { correlationId: "corr-exc-parked", type: { in: stockAvailabilityProjection.types! } },
      });
      // As the consumer leaves it after failing on an event maxAttempts times (test/integration/consumers-suite.ts parks for real).
      await t.database.db.parkedEvent.create({
        data: { consumer: stockAvailabilityProjection.name, sequence: event.sequence, attempts: 5, error: "database said no" },
      });
      const id = `PARKED_EVENT:${stockAvailabilityProjection.name}:${event.sequence}`;

      const listed = (await gqlOk(url, LIST, { filter: { kind: ["PARKED_EVENT"], source: [stockAvailabilityProjection.name] } })).exceptions;
      expect(listed.totalCount).toBe(1);
      expect(listed.nodes[0]).toMatchObject({ id, domain: "operations", kind: "PARKED_EVENT", state: "OPEN", correlationId: "corr-exc-parked" });
      expect(listed.nodes[0].reason).toBe(`${event.type} (event ${event.sequence}): database said no`);
      expect(JSON.parse(listed.nodes[0].rawPayload)).toEqual(event.payload);

      const retried = (await gqlOk(url, RETRY, { id })).retryException;
      expect(retried).toMatchObject({ id, state: "RESOLVED", resolutionNote: "retried: handled" });
      const { parkedEvents } = await gqlOk(url, `{ parkedEvents { consumer sequence } }`);
      expect(parkedEvents).toEqual([]);
    });

    it("shows a document delivery that failed (shipments' contribution), and resolves it by a retry once the partner is back", async () => {
      const target = `http://127.0.0.1:${(partner.address() as { port: number }).port}/inbox`;
      const doc = await t.database.db.$transaction(async (tx) => {
        const stored = await storeDocument(tx, {
          documentKey: "TEST:exc-delivery-1",
          type: "856",
          standard: "X12",
          partner: "X12:ZZ:EXCPARTNER",
          controlNumber: "000000001",
          content: "ISA*00*...~",
          correlationId: "corr-exc-delivery",
        });
        await queueDelivery(tx, stored.id, target);
        return stored;
      });
      const delivery = await t.database.db.documentDelivery.findFirstOrThrow({ where: { documentId: doc.id } });
      const id = `FAILED_DELIVERY:${delivery.id}`;
      const failed = await waitFor(
        async () => ((e) => (e?.state === "OPEN" ? e : null))((await gqlOk(url, ONE, { id })).exception),
        "the delivery an exception",
      );
      expect(failed).toMatchObject({
        domain: "shipments",
        source: "http",
        kind: "FAILED_DELIVERY",
        correlationId: "corr-exc-delivery",
        rawPayload: "ISA*00*...~",
      });
      expect(failed.reason).toMatch(/^856 for X12:ZZ:EXCPARTNER to http:.+: .*503/);
      const listed = (await gqlOk(url, LIST, { filter: { domain: ["shipments"], state: ["OPEN"] } })).exceptions;
      expect(listed.nodes.map((n: any) => n.id)).toEqual([id]);

      accepting = true;
      // Back in line for the delivery worker: OPEN until it is delivered, then RESOLVED.
      const retried = (await gqlOk(url, RETRY, { id })).retryException;
      expect(retried).toMatchObject({ id, state: "OPEN" });
      const resolved = await waitFor(
        async () => ((e) => (e.state === "RESOLVED" ? e : null))((await gqlOk(url, ONE, { id })).exception),
        "the delivery resolved",
      );
      expect(resolved).toMatchObject({ resolutionNote: "retried: delivered", reason: failed.reason });
      expect(delivered).toEqual(["ISA*00*...~"]);
    });

    it("filters by kind, source, state and age, and pages through the merged queue without gaps or repeats", async () => {
      // Three more dead letters to page through.
      const ids: string[] = [];
      for (const n of [1, 2, 3]) {
        const res = await post(base, "/ingest/wms/inventory", receipt(`exc-page-${n}`, `SKU-PAGE-${n}`));
        ids.push(`DEAD_LETTER:${res.json.messageId}`);
      }
      const everything = (await gqlOk(url, LIST, { first: 500 })).exceptions;
      expect(everything.totalCount).toBe(everything.nodes.length);
      expect(everything.unavailableDomains).toEqual([]);
      // Newest first.
      const times = everything.nodes.map((n: any) => Date.parse(n.raisedAt));
      expect([...times].sort((a, b) => b - a)).toEqual(times);
      for (const id of ids) expect(everything.nodes.map((n: any) => n.id)).toContain(id);

      const seen: string[] = [];
      let after: string | null = null;
      for (let pages = 0; pages < 50; pages++) {
        const page: any = (await gqlOk(url, LIST, { first: 2, after })).exceptions;
        expect(page.totalCount).toBe(everything.totalCount);
        expect(page.pageInfo.hasPreviousPage).toBe(after !== null);
        seen.push(...page.nodes.map((n: any) => n.id));
        expect(page.edges.map((e: any) => e.node.id)).toEqual(page.nodes.map((n: any) => n.id));
        if (!page.pageInfo.hasNextPage) break;
        after = page.pageInfo.endCursor;
      }
      expect(seen).toEqual(everything.nodes.map((n: any) => n.id));

      const byKinds = (await gqlOk(url, LIST, { filter: { kind: ["CONFLICT", "PARKED_EVENT"] }, first: 500 })).exceptions.nodes;
      expect(new Set(byKinds.map((n: any) => n.kind))).toEqual(new Set(["CONFLICT", "PARKED_EVENT"]));
      const none = (await gqlOk(url, LIST, { filter: { source: ["no-such-source"] } })).exceptions;
      expect(none).toMatchObject({ totalCount: 0, nodes: [] });
      const otherDomain = (await gqlOk(url, LIST, { filter: { domain: ["nowhere"] } })).exceptions;
      expect(otherDomain.totalCount).toBe(0);
      // olderThan: before the first of the three, so none of them.
      const firstRaised = everything.nodes.find((n: any) => n.id === ids[0]).raisedAt;
      const older = (await gqlOk(url, LIST, { filter: { olderThan: firstRaised }, first: 500 })).exceptions.nodes;
      expect(older.every((n: any) => Date.parse(n.raisedAt) < Date.parse(firstRaised))).toBe(true);
      for (const id of ids) expect(older.map((n: any) => n.id)).not.toContain(id);

      const resolved = (await gqlOk(url, RESOLVE, { id: ids[0], note: "item discontinued; stock booked by hand" })).resolveException;
      expect(resolved).toMatchObject({ state: "RESOLVED", resolutionNote: "item discontinued; stock booked by hand" });
      const open = (await gqlOk(url, LIST, { filter: { state: ["OPEN"] }, first: 500 })).exceptions.nodes.map((n: any) => n.id);
      expect(open).toEqual(expect.arrayContaining(ids.slice(1)));
      expect(open).not.toContain(ids[0]);
    });

    // The CLI is a GraphQL client of the gateway, so the store under it changes nothing: one store
    // is enough (each run spawns processes, seconds the suite's budget cannot spare twice).
    it.runIf(kind === "pglite")("has the same verbs in the ops CLI: list with filters, show, retry, discard", async () => {
      const dead = await post(base, "/ingest/wms/inventory", receipt("exc-cli-1", "SKU-CLI-1"), { "x-correlation-id": "corr-exc-cli" });
      const other = await post(base, "/ingest/wms/inventory", receipt("exc-cli-2", "SKU-CLI-2"));
      const [id, otherId] = [`DEAD_LETTER:${dead.json.messageId}`, `DEAD_LETTER:${other.json.messageId}`];
      const listed = await runOps(url, ["exceptions", "--kind", "dead_letter", "--source", "wms", "--first", "500"]);
      expect(listed.status, listed.stderr).toBe(0);
      const lines = listed.stdout.split("\n");
      expect(lines[0]).toMatch(/^\d+ exception\(s\) OPEN$/);
      expect(lines.find((l) => l.startsWith(id))).toMatch(/ OPEN .* operations\/wms .*SKU-CLI-1.* corr=corr-exc-cli$/);
      expect(lines.find((l) => l.startsWith(otherId))).toBeDefined();

      const shown = await runOps(url, ["exceptions", "show", id]);
      expect(shown.status, shown.stderr).toBe(0);
      expect(shown.stdout).toContain(`"correlationId": "corr-exc-cli"`);
      expect(shown.stdout).toContain(`raw payload:\n${receipt("exc-cli-1", "SKU-CLI-1")}`);

      await t.database.db.product.create({ data: { sku: "SKU-CLI-1", description: "Fixed for the CLI test", baseUnit: "EA" } });
      const retried = await runOps(url, ["exceptions", "retry", id]);
      expect(retried.status, retried.stderr).toBe(0);
      expect(retried.stdout).toMatch(new RegExp(`^${id}  RESOLVED .* -> .+: replayed: processed`));
      const discarded = await runOps(url, ["exceptions", "discard", otherId, "--note", "sent by mistake"]);
      expect(discarded.status, discarded.stderr).toBe(0);
      expect(discarded.stdout).toMatch(/ DISCARDED .*: sent by mistake/);
      const again = await runOps(url, ["exceptions", "retry", otherId]);
      expect(again.status).toBe(1);
      expect(again.stderr).toMatch(/INVALID_STATUS_TRANSITION: .*is DISCARDED/);
      const open = await runOps(url, ["exceptions", "--kind", "DEAD_LETTER", "--first", "500"]);
      expect(open.stdout).not.toContain(id);
      expect(open.stdout).not.toContain(otherId);
    });

    it("names what is wrong with an id or cursor, and needs the operations scopes", async () => {
      const bad = await gql(url, RETRY, { id: "NOT_A_KIND:1" });
      expect(bad.errors?.[0]).toMatchObject({ extensions: { code: "INVALID_ARGUMENT", argument: "id" } });
      const missing = await gql(url, RESOLVE, { id: "DEAD_LETTER:no-such-message", note: "x" });
      expect(missing.errors?.[0]).toMatchObject({ extensions: { code: "NOT_FOUND" } });
      const cursor = await gql(url, LIST, { after: "nonsense" });
      expect(cursor.errors?.[0]).toMatchObject({ extensions: { code: "INVALID_CURSOR" } });
      const reader = await signTestToken({ scopes: ["operations:read"] });
      const denied = await gql(url, RESOLVE, { id: "DEAD_LETTER:x", note: "x" }, { authorization: `Bearer ${reader}` });
      expect(denied.errors?.[0].extensions?.code).toBe("FORBIDDEN");
      const allowed = await gql(url, LIST, { first: 1 }, { authorization: `Bearer ${reader}` });
      expect(allowed.errors).toBeUndefined();
    });
  });
}

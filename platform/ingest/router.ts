// The ingestion HTTP endpoints. Each request is stored first (raw bytes, idempotency key,
// correlation id), then processed; the response reports every message's id and final state.
//   200: every message PROCESSED, RECONCILED or DUPLICATE
//   207: some dead-lettered, some not (see each message)
//   400 / 413 / 422: the message was dead-lettered (unparseable / too large / invalid or unmapped)
//   500: applying failed (FAILED, retried later, or DEAD_LETTER after MAX_APPLY_ATTEMPTS)
import { createHash } from "node:crypto";
import type { Express, Request, Response } from "express";
import type { Db } from "../db/client.js";
import { correlationIdOf } from "../http/server.js";
import { httpStatusForStep, IngestError } from "./errors.js";
import { receiveMessages, type IncomingMessage } from "./message-store.js";
import { processMessages, type ProcessOutcome } from "./pipeline.js";
import { readRawBody } from "./body.js";
import type { HandlerRegistry } from "./handlers.js";
import { splitInterchange } from "./x12-envelope.js";

export interface IngestRouterOptions {
  db: Db;
  registry: HandlerRegistry;
  /** Largest accepted body in bytes. */
  bodyLimit: number;
}

/** How one route turns a request body into messages. */
interface RouteSpec {
  path: string;
  source: string;
  kind: string;
  split: (body: Buffer, req: Request) => { idempotencyKey: string; kind?: string; raw: Buffer }[];
}

const sha256 = (b: Buffer) => createHash("sha256").update(b).digest("hex");

/** A body that cannot even be split into messages is kept whole, keyed by its hash, and dead-lettered. */
class UnsplittableBody extends Error {
  constructor(public readonly cause: IngestError) {
    super(cause.message);
  }
}

export const ingestRoutes: RouteSpec[] = [
  {
    path: "/ingest/wms/inventory",
    source: "wms",
    kind: "inventory-event",
    split: (body) => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(body.toString("utf8"));
      } catch (err) {
        throw new UnsplittableBody(new IngestError("PARSE", `body is not valid JSON: ${(err as Error).message}`));
      }
      const events = Array.isArray(parsed) ? parsed : [parsed];
      if (!events.length) throw new UnsplittableBody(new IngestError("VALIDATE", "body is an empty array: send one event or a non-empty array"));
      return events.map((event) => {
        const raw = Buffer.from(JSON.stringify(event));
        const id = typeof event === "object" && event && typeof (event as { eventId?: unknown }).eventId === "string" ? (event as { eventId: string }).eventId : null;
        // An event without an id cannot be deduplicated by id; its content hash stands in, and
        // validation will dead-letter it anyway.
        return { idempotencyKey: id ?? `sha256:${sha256(raw)}`, raw };
      });
    },
  },
  {
    path: "/ingest/shopify/inventory_levels/update",
    source: "shopify",
    kind: "inventory_levels/update",
    split: (body, req) => {
      const webhookId = req.header("x-shopify-webhook-id");
      if (!webhookId) throw new UnsplittableBody(new IngestError("VALIDATE", "missing X-Shopify-Webhook-Id header: it is the idempotency key"));
      return [{ idempotencyKey: webhookId, raw: body }];
    },
  },
  {
    path: "/ingest/x12",
    source: "x12",
    kind: "interchange",
    split: (body) => {
      try {
        return splitInterchange(body.toString("latin1")).map((set) => ({ idempotencyKey: set.idempotencyKey, kind: set.setId, raw: Buffer.from(set.raw, "latin1") }));
      } catch (err) {
        if (err instanceof IngestError) throw new UnsplittableBody(err);
        throw err;
      }
    },
  },
];

export function mountIngestRoutes(app: Express, options: IngestRouterOptions) {
  for (const route of ingestRoutes) {
    app.post(route.path, async (req, res) => {
      try {
        await handle(route, req, res, options);
      } catch (err) {
        console.error(JSON.stringify({ level: "error", msg: "ingest failed", route: route.path, error: String(err) }));
        res.status(500).json({ error: "internal error while storing the message", correlationId: correlationIdOf(req) });
      }
    });
  }
  app.all("/ingest/*path", (req, res) => {
    res.status(404).json({ error: `no ingestion endpoint ${req.method} ${req.path}`, endpoints: ingestRoutes.map((r) => `POST ${r.path}`) });
  });
}

async function handle(route: RouteSpec, req: Request, res: Response, { db, registry, bodyLimit }: IngestRouterOptions) {
  const correlationId = correlationIdOf(req);
  const contentType = req.header("content-type") ?? null;
  const body = await readRawBody(req, bodyLimit);
  const base = { source: route.source, correlationId, contentType };

  if (body.oversized) {
    const [stored] = await receiveMessages(db, [{ ...base, kind: route.kind, idempotencyKey: `oversized:${sha256(body.bytes)}:${body.totalBytes}`, raw: body.bytes }]);
    const error = `body of ${body.totalBytes} bytes exceeds the limit of ${bodyLimit} bytes; the first ${body.bytes.length} bytes are kept`;
    const message = await db.inboundMessage.update({ where: { id: stored.message.id }, data: { state: "DEAD_LETTER", failedStep: "RECEIVE", error } });
    res.status(413).json(view(message));
    return;
  }

  let incoming: IncomingMessage[];
  try {
    incoming = route.split(body.bytes, req).map((m) => ({ ...base, kind: m.kind ?? route.kind, idempotencyKey: m.idempotencyKey, raw: m.raw }));
  } catch (err) {
    if (!(err instanceof UnsplittableBody)) throw err;
    const [stored] = await receiveMessages(db, [{ ...base, kind: route.kind, idempotencyKey: `sha256:${sha256(body.bytes)}`, raw: body.bytes }]);
    const message =
      stored.message.state === "DUPLICATE"
        ? stored.message
        : await db.inboundMessage.update({ where: { id: stored.message.id }, data: { state: "DEAD_LETTER", failedStep: err.cause.step, error: err.cause.message } });
    res.status(message.state === "DUPLICATE" ? 200 : httpStatusForStep(err.cause.step)).json(view(message, stored.original?.id));
    return;
  }

  const received = await receiveMessages(db, incoming);
  // In arrival order: deltas to one position apply in the order they were sent.
  const processed = new Map((await processMessages(db, registry, received.filter((r) => r.message.state === "RECEIVED").map((r) => r.message.id))).map((o) => [o.id, o]));
  const outcomes: ProcessOutcome[] = received.map((r) => processed.get(r.message.id) ?? r.message);
  const views = outcomes.map((o, i) => view(o, received[i].original?.id));
  const status = statusOf(outcomes);
  res.status(status).json(views.length === 1 ? views[0] : { correlationId, messages: views });
}

function statusOf(outcomes: ProcessOutcome[]): number {
  const failed = outcomes.filter((o) => o.state === "DEAD_LETTER" || o.state === "FAILED");
  if (!failed.length) return 200;
  if (failed.length < outcomes.length) return 207;
  return httpStatusForStep(failed[0].failedStep ?? "APPLY");
}

function view(m: ProcessOutcome, duplicateOf?: string) {
  return {
    messageId: m.id,
    correlationId: m.correlationId,
    state: m.state,
    ...(duplicateOf && { duplicateOf }),
    ...(m.failedStep && { failedStep: m.failedStep }),
    ...(m.error && { error: m.error }),
  };
}


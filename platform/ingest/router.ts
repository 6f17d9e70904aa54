// The ingestion HTTP endpoints. Each request is stored first (raw bytes, idempotency key,
// correlation id), then processed; the response reports every message's id and final state.
//   200: every message PROCESSED, RECONCILED or DUPLICATE (of an original that is one of those)
//   207: some messages failed, some not (see each message)
//   400 / 413 / 422: dead-lettered as unparseable / too large / invalid or unmapped
//   409: the idempotency key was already used with different content (a conflict)
//   503: stored, but applying failed for a transient reason (a lock, the database away); retried
//   500: applying failed unexpectedly, repeatedly (dead-lettered)
// A repeat is answered with its original's outcome: a resent message whose original was
// dead-lettered gets that dead letter's status and error, not a 200.
import type { Express, Request, Response } from "express";
import type { Db } from "../db/client.js";
import { correlationIdOf } from "../http/correlation.js";
import { logRequestError, sendError } from "../http/errors.js";
import { ErrorCode } from "../errors.js";
import { classifyDbError, describeDbFailure, isTransient } from "../db/errors.js";
import { codeForStep, httpStatusFor, storableText, type IngestError } from "./errors.js";
import { receiveMessages, withoutRaw, type IncomingMessage, type ReceivedMessage, type StoredMessage } from "./message-store.js";
import { processMessages, type ProcessOutcome } from "./pipeline.js";
import { IngestCoalescer, type CoalescerOptions } from "./coalescer.js";
import { readRawBody } from "./body.js";
import type { HandlerRegistry } from "./handlers.js";
import { ingestRoutes, splitBody, type RouteSpec } from "./routes.js";
import { sha256 } from "./json-body.js";
import { warning, warningsOf } from "./warnings.js";
import type { Authenticator } from "./auth/authenticator.js";
import { logFor } from "../telemetry/log.js";
import { ingestAccess, type IngestAccessOptions } from "./auth/ingest-access.js";

export { ingestRoutes } from "./routes.js";

export interface IngestRouterOptions {
  db: Db;
  registry: HandlerRegistry;
  /** Largest accepted body in bytes. */
  bodyLimit: number;
  /** INGEST_OVERSIZED_PREFIX: bytes kept of a body over the limit (default 64 KiB). */
  oversizedPrefixBytes?: number;
  /**
   * Checks for routes that declare `auth` (Shopify's HMAC). A route whose check is missing here
   * refuses every request (401): an unconfigured secret never means "open".
   */
  authenticators?: Partial<Record<string, Authenticator>>;
  /**
   * Called after a request's messages were processed (with each message's bytes and outcome), e.g.
   * to send X12 997 acknowledgements. Its failures are logged; the sender's answer stands.
   */
  afterProcessing?: (route: RouteSpec, messages: ProcessedMessage[]) => Promise<void>;
  /** Group commit of concurrent requests (coalescer.ts); INGEST_LANES sets the lanes. */
  coalescing?: CoalescerOptions;
  /** Who may post (auth/ingest-access.ts); every route under /ingest passes it. Default: refuse all but signed routes. */
  access?: IngestAccessOptions;
}

export interface ProcessedMessage {
  incoming: IncomingMessage;
  outcome: Pick<StoredMessage, "id" | "state" | "failedStep" | "error">;
}

/** Background processing of routes that answer on receipt; awaited by drainIngestion (shutdown, tests). */
const inFlight = new Set<Promise<unknown>>();

/** Waits until messages taken in by acknowledge-on-receipt routes are processed. */
export async function drainIngestion(): Promise<void> {
  while (inFlight.size) await Promise.allSettled([...inFlight]);
}

export const DEFAULT_COALESCING: CoalescerOptions = { lanes: 1, maxMessages: 1000 };

export const DEFAULT_OVERSIZED_PREFIX = 64 * 1024;

export function mountIngestRoutes(app: Express, options: IngestRouterOptions) {
  const coalescer = new IngestCoalescer(options.db, options.registry, options.coalescing ?? DEFAULT_COALESCING);
  // Before any route: a route added to ingestRoutes later is covered without more code.
  app.use("/ingest", ingestAccess(ingestRoutes, options.access ?? { enabled: true, verifyToken: null, apiKeys: new Map(), allowedOrigins: [] }));
  for (const route of ingestRoutes) {
    app.post(route.path, async (req, res) => {
      try {
        await handle(route, req, res, coalescer, options);
      } catch (err) {
        const failure = classifyDbError(err);
        logRequestError(req, "ingest failed", err);
        if (res.headersSent) return void res.end();
        if (isTransient(failure)) {
          res.setHeader("retry-after", "5");
          sendError(req, res, {
            status: 503,
            code: ErrorCode.TEMPORARILY_UNAVAILABLE,
            message: `The message could not be taken in now: ${describeDbFailure(failure)}; send it again later (a resend is recognised, never applied twice)`,
          });
        } else {
          sendError(req, res, {
            status: 500,
            code: ErrorCode.INTERNAL_SERVER_ERROR,
            message: `Internal error while storing the message; the server log has the details under correlation id ${correlationIdOf(req)}`,
          });
        }
      }
    });
  }
  app.all("/ingest/*path", (req, res) => {
    sendError(
      req,
      res,
      { status: 404, code: ErrorCode.ROUTE_NOT_FOUND, message: `No ingestion endpoint ${req.method} ${req.path}` },
      { endpoints: ingestRoutes.map((r) => `POST ${r.path}`) },
    );
  });
}

async function handle(route: RouteSpec, req: Request, res: Response, coalescer: IngestCoalescer, options: IngestRouterOptions) {
  const { db, registry, bodyLimit, oversizedPrefixBytes = DEFAULT_OVERSIZED_PREFIX } = options;
  const correlationId = correlationIdOf(req);
  const contentType = req.header("content-type") ?? null;
  const body = await readRawBody(req, bodyLimit);
  const base = { source: route.source, correlationId, contentType };

  if (route.auth) {
    // Before anything is stored: an unauthenticated body is not a message from the source (see
    // README, "Shopify orders"); it is logged, never kept, so it can neither be applied nor replayed.
    const check = options.authenticators?.[route.auth];
    const verdict = check
      ? check(body.bytes, (name) => req.header(name))
      : { ok: false as const, reason: `no ${route.auth} check is configured on this server` };
    if (!verdict.ok) {
      logFor(correlationId).warn(
        { route: route.path, reason: verdict.reason, bytes: body.totalBytes, sha256: sha256(body.bytes) },
        "ingest request refused: authentication failed",
      );
      // `error` as on every ingestion answer, `code` and `message` as on every other error body.
      const message = `not authenticated: ${verdict.reason}; nothing was stored or applied`;
      sendError(req, res, { status: 401, code: ErrorCode.UNAUTHENTICATED, message }, { error: message });
      return;
    }
  }

  if (body.oversized) {
    // Only a prefix is kept: enough to see what was sent, not a copy of every oversized post.
    const prefix = body.bytes.subarray(0, Math.min(oversizedPrefixBytes, body.bytes.length));
    const [stored] = await receiveMessages(db, [
      { ...base, kind: route.envelopeKind, idempotencyKey: `oversized:${sha256(prefix)}:${body.totalBytes}`, raw: prefix, contentHash: null },
    ]);
    const error = `body of ${body.totalBytes} bytes exceeds the limit of ${bodyLimit} bytes; the first ${prefix.length} bytes are kept`;
    const message =
      stored.message.state === "RECEIVED"
        ? await db.inboundMessage.update({
            where: { id: stored.message.id },
            data: { state: "DEAD_LETTER", failedStep: "RECEIVE", error, attempts: 1 },
            omit: withoutRaw,
          })
        : stored.message;
    respond(res, correlationId, [{ outcome: message, original: stored.original }]);
    return;
  }

  let incoming: IncomingMessage[];
  try {
    incoming = splitBody(route, body.bytes, (name) => req.header(name)).map((m) => ({
      ...base,
      kind: m.kind,
      idempotencyKey: m.idempotencyKey,
      raw: m.raw,
      contentHash: m.contentHash,
      warnings: (m.warnings ?? []).map((w) => warning("RECEIVE", w)),
    }));
  } catch (err) {
    // Not splittable: kept whole under the envelope kind, keyed by its hash, and dead-lettered.
    const cause = err as IngestError;
    const hash = sha256(body.bytes);
    const [stored] = await receiveMessages(db, [{ ...base, kind: route.envelopeKind, idempotencyKey: `sha256:${hash}`, raw: body.bytes, contentHash: hash }]);
    const message =
      stored.message.state === "RECEIVED"
        ? await db.inboundMessage.update({
            where: { id: stored.message.id },
            data: { state: "DEAD_LETTER", failedStep: cause.step, error: storableText(cause.message).slice(0, 4000), attempts: 1 },
            omit: withoutRaw,
          })
        : stored.message;
    respond(res, correlationId, [{ outcome: message, original: stored.original }]);
    return;
  }

  const after = (received: ReceivedMessage[], processed: Map<string, ProcessOutcome>) =>
    options
      .afterProcessing?.(
        route,
        received.map((r, i) => ({ incoming: incoming[i], outcome: processed.get(r.message.id) ?? r.message })),
      )
      .catch((err) => logFor(correlationId).error({ route: route.path, error: String(err) }, "after-processing step failed"));
  if (route.acknowledgeOnReceipt) {
    // The source wants a fast answer and retries otherwise (Shopify: within 5 seconds): the
    // message is ours once stored, so it is answered now and processed right after. A message
    // this process does not get to (a crash) is RECEIVED and processed by the recovery sweep.
    // Not coalesced: the answer must not wait for other requests' batches.
    const received = await receiveMessages(db, incoming);
    const toProcess = received.filter((r) => r.message.state === "RECEIVED").map((r) => r.message.id);
    respondOnReceipt(res, correlationId, received);
    const work = processMessages(db, registry, toProcess)
      .then((outcomes) => after(received, new Map(outcomes.map((o) => [o.id, o]))))
      .catch((err) => logFor(correlationId).error({ route: route.path, error: String(err) }, "processing after receipt failed; the recovery sweep will retry"))
      .finally(() => inFlight.delete(work));
    inFlight.add(work);
    return;
  }
  // Stored and applied with whatever other requests are waiting (see coalescer.ts), in arrival
  // order: deltas to one position apply in the order they were sent.
  const { received, processed } = await coalescer.submit(incoming);
  await after(received, processed);
  respond(
    res,
    correlationId,
    // A repeat of a message earlier in this request answers with that message's outcome now.
    received.map((r) => ({ outcome: processed.get(r.message.id) ?? r.message, original: r.original && { ...r.original, ...processed.get(r.original.id) } })),
  );
}

/**
 * The answer of an acknowledge-on-receipt route: 202 for a message stored and about to be
 * processed, 200 for a repeat (whatever became of its original: a webhook source retries on
 * anything but 2xx, and a repeat cannot change the outcome), 409 for a conflict.
 */
function respondOnReceipt(res: Response, correlationId: string, received: { message: StoredMessage; original: StoredMessage | null }[]) {
  const statuses = received.map((r) =>
    r.message.state === "RECEIVED" ? 202 : r.message.state === "DUPLICATE" ? 200 : httpStatusFor(r.message.state, r.message.failedStep),
  );
  const views = received.map((r) => view({ outcome: r.message, original: r.original }));
  res.status(Math.max(...statuses)).json(views.length === 1 ? views[0] : { correlationId, messages: views });
}

interface Answered {
  outcome: ProcessOutcome | StoredMessage;
  original: StoredMessage | null;
}

/** A duplicate's outcome is its original's: the sender learns what became of what it sent. */
const effective = ({ outcome, original }: Answered) => (outcome.state === "DUPLICATE" && original ? original : outcome);

function respond(res: Response, correlationId: string, answered: Answered[]) {
  const statuses = answered.map((a) => httpStatusFor(effective(a).state, effective(a).failedStep));
  const failed = statuses.filter((s) => s >= 400);
  const status = failed.length === 0 ? Math.max(...statuses) : failed.length < statuses.length ? 207 : failed[0];
  if (status === 503) res.setHeader("retry-after", "5");
  const views = answered.map(view);
  res.status(status).json(views.length === 1 ? views[0] : { correlationId, messages: views });
}

function view({ outcome: m, original }: Answered) {
  const warnings = warningsOf(m.warnings);
  return {
    messageId: m.id,
    correlationId: m.correlationId,
    state: m.state,
    ...(m.state === "DUPLICATE" && original && { duplicateOf: original.id, original: summary(original) }),
    ...(m.conflictWithId && { conflictWith: m.conflictWithId }),
    ...(m.failedStep && { failedStep: m.failedStep, code: codeForStep(m.failedStep) }),
    ...(m.error && { error: m.error }),
    ...(warnings.length && { warnings }),
  };
}

function summary(m: StoredMessage) {
  return { messageId: m.id, state: m.state, ...(m.failedStep && { failedStep: m.failedStep }), ...(m.error && { error: m.error }) };
}

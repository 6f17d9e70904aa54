// How each ingestion endpoint turns a request body into messages: one per WMS event (a JSON
// object or each element of an array), one per Shopify webhook, one per X12 transaction set.
// Every message keeps the exact bytes it was sent as, its idempotency key and a content hash.
// A body that cannot be split is stored whole under its envelope kind and dead-lettered;
// replaying it runs the same split again (pipeline.replayMessage), so a fix can take effect.
import { IngestError, parseError, validationError } from "./errors.js";
import { canonicalJson, parseJsonMessage, scanJson, sha256, withoutBom } from "./json-body.js";
import { splitInterchange } from "./x12-envelope.js";
import { splitEdifactInterchange } from "./edifact-envelope.js";
import type { WarningInput } from "./warnings.js";
import { log } from "../telemetry/log.js";

/**
 * Most messages one request may carry: a larger body is stored whole and refused, rather than
 * turned into more messages than one request should make the server store and process.
 */
export const MAX_MESSAGES_PER_REQUEST = 10_000;

function checkCount(count: number, what: string) {
  if (count > MAX_MESSAGES_PER_REQUEST)
    throw validationError(`body holds ${count} ${what}, more than the ${MAX_MESSAGES_PER_REQUEST} one request may carry: send them in several requests`);
}

export interface SplitMessage {
  idempotencyKey: string;
  kind: string;
  raw: Buffer;
  contentHash: string;
  warnings?: WarningInput[];
}

export interface RouteSpec {
  path: string;
  source: string;
  /** The kind a body is stored under when it cannot be split into messages. */
  envelopeKind: string;
  /**
   * Splits a body; throws an IngestError naming what is wrong. `header` reads the request's
   * headers, and gives nothing on replay (headers are not stored).
   */
  split: (body: Buffer, header: (name: string) => string | undefined) => SplitMessage[];
  /** The name of the check a request must pass before anything is stored (IngestRouterOptions.authenticators). */
  auth?: string;
  /** Answer once stored (202), process right after: for sources that retry unless answered fast (webhooks). */
  acknowledgeOnReceipt?: boolean;
}

function parseJsonBody(body: Buffer): { value: unknown; elements: [number, number][] | null } {
  const { elements } = scanJson(body); // depth first: JSON.parse is safe, recursion afterwards too
  return { value: parseJsonMessage(body), elements };
}

const idOf = (event: unknown) => {
  const id = event && typeof event === "object" ? (event as { eventId?: unknown }).eventId : undefined;
  return typeof id === "string" && id.length > 0 ? id : null;
};

/** Shopify order webhook topics, each on /ingest/shopify/<topic>. */
export const SHOPIFY_ORDER_TOPICS = ["orders/create", "orders/updated", "orders/cancelled"] as const;

/** A JSON route taking one event or an array of them, each its own message keyed by its eventId. */
function jsonEventsRoute(path: string, source: string, envelopeKind: string, kind: string, what: string): RouteSpec {
  return {
    path,
    source,
    envelopeKind,
    split: (input) => {
      // Parsed without a byte-order mark; a single message is stored as sent (mark included), the
      // elements of an array as their own bytes (the mark precedes the array, not an element).
      const body = withoutBom(input);
      const { value, elements } = parseJsonBody(body);
      const events = elements ? (value as unknown[]) : [value];
      const ranges = elements ?? [[0, body.length] as [number, number]];
      if (!events.length) throw validationError(`body is an empty array: send one of the ${what} or a non-empty array`);
      checkCount(events.length, what);
      if (ranges.length !== events.length) throw parseError(`body could not be split into its ${events.length} ${what}`);
      return events.map((event, i) => {
        const contentHash = sha256(canonicalJson(event));
        return { idempotencyKey: idOf(event) ?? `sha256:${contentHash}`, kind, raw: elements ? body.subarray(ranges[i][0], ranges[i][1]) : input, contentHash };
      });
    },
  };
}

export const ingestRoutes: RouteSpec[] = [
  {
    path: "/ingest/wms/inventory",
    source: "wms",
    envelopeKind: "body",
    split: (input) => {
      // Parsed without a byte-order mark; a single message is stored as sent (mark included), the
      // elements of an array as their own bytes (the mark precedes the array, not an element).
      const body = withoutBom(input);
      const { value, elements } = parseJsonBody(body);
      const events = elements ? (value as unknown[]) : [value];
      const ranges = elements ?? [[0, body.length] as [number, number]];
      if (!events.length) throw validationError("body is an empty array: send one event or a non-empty array");
      checkCount(events.length, "events");
      if (ranges.length !== events.length) throw parseError(`body could not be split into its ${events.length} events`);
      return events.map((event, i) => {
        const contentHash = sha256(canonicalJson(event));
        // An event without an id cannot be deduplicated by id; its content hash stands in, and
        // validation will dead-letter it anyway.
        return {
          idempotencyKey: idOf(event) ?? `sha256:${contentHash}`,
          kind: "inventory-event",
          raw: elements ? body.subarray(ranges[i][0], ranges[i][1]) : input,
          contentHash,
        };
      });
    },
  },
  jsonEventsRoute("/ingest/wms/shipments", "wms", "shipments-body", "shipment-confirmation", "confirmations"),
  jsonEventsRoute("/ingest/tms/milestones", "tms", "body", "milestone", "milestones"),
  {
    path: "/ingest/shopify/inventory_levels/update",
    source: "shopify",
    envelopeKind: "inventory_levels/update",
    split: (body, header) => {
      const webhookId = header("x-shopify-webhook-id");
      if (!webhookId) throw validationError("missing X-Shopify-Webhook-Id header: it is the idempotency key");
      scanJson(body);
      // Shopify re-delivers a webhook byte for byte: the bytes are the content.
      return [{ idempotencyKey: webhookId, kind: "inventory_levels/update", raw: body, contentHash: sha256(body) }];
    },
  },
  {
    path: "/ingest/x12",
    source: "x12",
    envelopeKind: "interchange",
    split: (body) => {
      const sets = splitInterchange(body);
      checkCount(sets.length, "transaction sets");
      return sets.map((set) => ({ idempotencyKey: set.idempotencyKey, kind: set.setId, raw: set.raw, contentHash: set.contentHash, warnings: set.warnings }));
    },
  },
  {
    path: "/ingest/edifact",
    source: "edifact",
    envelopeKind: "interchange",
    split: (body) => {
      const messages = splitEdifactInterchange(body);
      checkCount(messages.length, "messages");
      return messages.map((m) => ({ idempotencyKey: m.idempotencyKey, kind: m.messageType, raw: m.raw, contentHash: m.contentHash, warnings: m.warnings }));
    },
  },
  ...SHOPIFY_ORDER_TOPICS.map((topic): RouteSpec => ({
    path: `/ingest/shopify/${topic}`,
    source: "shopify",
    // Not a handled kind: replaying a body stored this way runs the split again, which needs the headers it lacked.
    envelopeKind: "orders/webhook",
    auth: "shopify-hmac",
    acknowledgeOnReceipt: true,
    split: (body, header) => {
      const webhookId = header("x-shopify-webhook-id")?.trim();
      if (!webhookId) throw validationError("missing X-Shopify-Webhook-Id header: it is the idempotency key");
      const shop = header("x-shopify-shop-domain")?.trim().toLowerCase();
      if (!shop) throw validationError("missing X-Shopify-Shop-Domain header: the order's shop");
      const said = header("x-shopify-topic")?.trim();
      if (said && said !== topic)
        throw validationError(`X-Shopify-Topic is ${said}, but this endpoint takes ${topic}: subscribe the topic to /ingest/shopify/${said}`);
      scanJson(body);
      // The shop is kept in the key (headers are not stored): "<shop domain>:<webhook id>".
      return [{ idempotencyKey: `${shop}:${webhookId}`, kind: topic, raw: body, contentHash: sha256(body) }];
    },
  })),
];

/** The route whose unsplittable bodies are stored under this source and kind, if any. */
export const envelopeRouteOf = (source: string, kind: string) => ingestRoutes.find((r) => r.source === source && r.envelopeKind === kind);

/** Runs a route's split; anything other than an IngestError (a bug, a resource limit) becomes one that says so. */
export function splitBody(route: RouteSpec, body: Buffer, header: (name: string) => string | undefined): SplitMessage[] {
  try {
    return route.split(body, header);
  } catch (err) {
    if (err instanceof IngestError) throw err;
    log.error({ route: route.path, error: String(err) }, "splitting a body failed");
    throw parseError("the body could not be split into messages (an unexpected error, logged on the server)");
  }
}

// Distributed mode: the gateway reaches a subgraph over HTTP. Written on fetch (not Apollo's
// RemoteGraphQLDataSource) so that each concern is explicit:
// - the operation's AbortSignal cancels the request when the operation stops (timeout, a limit);
// - a request larger than SUBGRAPH_BODY_LIMIT is not sent (subgraphs accept up to that limit), and
//   a subgraph's 413 is reported as SUBGRAPH_REQUEST_TOO_LARGE, not as unavailability;
// - the response is read only up to the operation's remaining MAX_RESULT_BYTES;
// - identical queries in flight at once for the same caller identity go as one request
//   (shared-fetches.ts), each operation charged with the answer on its own budget;
// - the caller's correlation id goes with the request;
// - a refused connection or a non-GraphQL answer is SUBGRAPH_UNAVAILABLE naming the subgraph,
//   while GraphQL errors the subgraph returns (SERVER_OVERLOADED, NOT_FOUND…) are passed on.
import { timedFetch } from "./timing.js";
import { withUniqueRepresentations } from "./unique-representations.js";
import { isMutation, SharedFetches } from "./shared-fetches.js";
import { injectTraceContext } from "../../platform/telemetry/tracing.js";
import { encodeIdentity, GATEWAY_SECRET_HEADER, IDENTITY_HEADER } from "../../platform/auth/gateway-credential.js";
import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from "@apollo/gateway";
import type { GatewayGraphQLResponse } from "@apollo/server-gateway-interface";
import { CORRELATION_HEADER } from "../../platform/telemetry/correlation.js";
import { countListItems, formatBytes } from "../../platform/limits/operation-budget.js";
import { DomainError, ErrorCode } from "../../platform/errors.js";
import type { GatewayContext } from "../context.js";
import { subgraphRequestTooLarge, subgraphUnavailable } from "./subgraph-errors.js";

/** What the subgraph answered: its status and body (read up to the shared read limit). Text: shared as it is. */
interface RawAnswer {
  status: number;
  text: string;
}

export interface HttpDataSourceOptions {
  /** GATEWAY_SHARED_SECRET: proves to the subgraph that the call comes from the gateway. */
  gatewaySecret?: string;
  /** SUBGRAPH_BODY_LIMIT in bytes: the largest request the gateway sends (and subgraphs accept). */
  requestLimitBytes: number;
  /** Time allowed to a request outside any operation (readiness probes), in ms. */
  timeoutMs: number;
  /** Largest response read outside any operation (readiness probes), in bytes. */
  responseLimitBytes: number;
  /** Ask for each distinct entity once per _entities fetch (SUBGRAPH_DEDUPE_REPRESENTATIONS, default true). */
  dedupeRepresentations?: boolean;
  /** Send identical concurrent queries for the same identity once (SUBGRAPH_SHARE_INFLIGHT, default true). */
  shareInFlight?: boolean;
}

export class HttpDataSource implements GraphQLDataSource<GatewayContext> {
  private readonly shared: SharedFetches<RawAnswer>;

  constructor(
    readonly subgraphName: string,
    readonly url: string,
    private readonly options: HttpDataSourceOptions,
  ) {
    this.shared = new SharedFetches<RawAnswer>(subgraphName);
  }

  process(options: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<GatewayGraphQLResponse> {
    if (this.options.dedupeRepresentations === false) return timedFetch(this.subgraphName, () => this.fetchOnce(options));
    return timedFetch(this.subgraphName, () =>
      withUniqueRepresentations(this.subgraphName, options.request, (request) => this.fetchOnce({ ...options, request })),
    );
  }

  private async fetchOnce({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<GatewayGraphQLResponse> {
    const { correlationId, budget } = (context ?? {}) as Partial<GatewayContext>;
    budget?.throwIfStopped();
    const body = JSON.stringify({ query: request.query, variables: request.variables, operationName: request.operationName, extensions: request.extensions });
    const size = Buffer.byteLength(body);
    if (size > this.options.requestLimitBytes) {
      throw subgraphRequestTooLarge(
        this.subgraphName,
        `The gateway's request to the ${this.subgraphName} subgraph would be ${formatBytes(size)}, over ${formatBytes(this.options.requestLimitBytes)} (SUBGRAPH_BODY_LIMIT): ask for fewer items or fields`,
        { bytes: size, maxBytes: this.options.requestLimitBytes },
      );
    }
    const headers: Record<string, string> = { "content-type": "application/json", accept: "application/graphql-response+json, application/json" };
    if (correlationId) headers[CORRELATION_HEADER] = correlationId;
    injectTraceContext({ set: (name, value) => void (headers[name] = value) });
    if (this.options.gatewaySecret) headers[GATEWAY_SECRET_HEADER] = this.options.gatewaySecret;
    // The caller as the gateway verified it: the subgraph applies row-level rules with it.
    const identity = (context as Partial<GatewayContext> | undefined)?.identity;
    if (identity) headers[IDENTITY_HEADER] = encodeIdentity(identity);

    // Shared only within operations (a budget to charge) and only for queries: a mutation runs once per caller.
    const shareable = budget !== undefined && this.options.shareInFlight !== false && !isMutation(request.query);
    let answer: RawAnswer;
    try {
      answer = shareable
        ? // The whole operation's byte limit for the shared read; each caller then checks its own remainder.
          await this.shared.run(`${headers[IDENTITY_HEADER] ?? ""}\n${body}`, budget.signal, (signal) =>
            this.send(headers, body, signal, budget.limits.maxResultBytes),
          )
        : await this.send(
            headers,
            body,
            budget?.signal ?? AbortSignal.timeout(this.options.timeoutMs),
            budget ? budget.remainingBytes : this.options.responseLimitBytes,
          );
    } catch (err) {
      budget?.throwIfStopped();
      if (err instanceof ResponseTooLarge) throw this.tooLarge(budget, budget ? budget.remainingBytes : this.options.responseLimitBytes);
      throw err instanceof SubgraphBrokeOff
        ? subgraphUnavailable(this.subgraphName, `the response broke off: ${err.reason}`)
        : subgraphUnavailable(this.subgraphName, reasonOf(err));
    }
    if (answer.status === 413) {
      throw subgraphRequestTooLarge(
        this.subgraphName,
        `The ${this.subgraphName} subgraph refused the gateway's request of ${formatBytes(size)} as too large (HTTP 413): its SUBGRAPH_BODY_LIMIT must be at least the gateway's (${formatBytes(this.options.requestLimitBytes)})`,
        { bytes: size, status: 413 },
      );
    }
    const { text } = answer;
    // A shared answer was read up to the whole operation's limit: this operation may have less left.
    if (budget && Buffer.byteLength(text) > budget.remainingBytes) throw this.tooLarge(budget, budget.remainingBytes);
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = null;
    }
    if (!isGraphQLResponse(parsed)) throw subgraphUnavailable(this.subgraphName, `HTTP ${answer.status} without a GraphQL response`);
    if (budget) {
      budget.countReceived(parsed.data ? countListItems(parsed.data) : 0, Buffer.byteLength(text));
      budget.throwIfStopped();
    }
    return { data: parsed.data ?? undefined, errors: parsed.errors, extensions: parsed.extensions };
  }

  /** POSTs the request and reads the answer up to `limit` bytes (a 413's body is not read). */
  private async send(headers: Record<string, string>, body: string, signal: AbortSignal, limit: number): Promise<RawAnswer> {
    const res = await fetch(this.url, { method: "POST", headers, body, signal });
    if (res.status === 413) {
      await res.body?.cancel().catch(() => {});
      return { status: 413, text: "" };
    }
    const text = await readLimited(res, limit).catch((err) => {
      if (err instanceof ResponseTooLarge) throw err;
      throw new SubgraphBrokeOff(reasonOf(err));
    });
    return { status: res.status, text };
  }

  private tooLarge(budget: GatewayContext["budget"] | undefined, limit: number): DomainError {
    const tooLarge = new DomainError(
      ErrorCode.RESULT_TOO_LARGE,
      `The operation's subgraph responses exceed ${formatBytes(budget?.limits.maxResultBytes ?? limit)} (MAX_RESULT_BYTES): ask for fewer items (smaller first, fewer nested lists) or page through them`,
      { limit: "MAX_RESULT_BYTES", subgraph: this.subgraphName },
    );
    budget?.stop(tooLarge);
    return tooLarge;
  }
}

class ResponseTooLarge extends Error {}

/** The response started but did not arrive whole. */
class SubgraphBrokeOff extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}

async function readLimited(res: Response, limit: number): Promise<string> {
  if (!res.body) return "";
  const declared = Number(res.headers.get("content-length"));
  if (declared > limit) {
    await res.body.cancel().catch(() => {});
    throw new ResponseTooLarge();
  }
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel().catch(() => {});
      throw new ResponseTooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function isGraphQLResponse(
  v: unknown,
): v is { data?: Record<string, unknown> | null; errors?: GatewayGraphQLResponse["errors"]; extensions?: Record<string, unknown> } {
  return typeof v === "object" && v !== null && !Array.isArray(v) && ("data" in v || "errors" in v);
}

/** fetch wraps the network error; the cause says what happened (ECONNREFUSED 127.0.0.1:4004…). */
function reasonOf(err: unknown): string {
  const e = err as Error & { cause?: { code?: string; message?: string } };
  if (e?.name === "TimeoutError") return "no answer in time";
  return e?.cause?.code ? `${e.cause.code}${e.cause.message ? `: ${e.cause.message.replace(/^connect /, "")}` : ""}` : (e?.message ?? String(err));
}

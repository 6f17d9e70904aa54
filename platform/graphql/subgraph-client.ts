// One way for a domain to call another subgraph's public API (its SDL, never its tables): the
// same GraphQL operation either over HTTP (distributed: one process per subgraph) or against the
// subgraph's Apollo Server in this process (embedded), with the caller's correlation id and a
// deadline. A failure is an exception whose message says what went wrong; callers decide policy.
import type { Subgraph } from "./subgraph-server.js";
import type { Db } from "../db/client.js";
import { CORRELATION_HEADER } from "../telemetry/correlation.js";

export interface SubgraphRequest {
  query: string;
  variables?: Record<string, unknown>;
  operationName?: string;
}

export interface SubgraphResponse<T> {
  data?: T | null;
  errors?: readonly { message: string; extensions?: Record<string, unknown> }[];
}

export type SubgraphTransport = <T>(request: SubgraphRequest, options: { correlationId: string; signal: AbortSignal }) => Promise<SubgraphResponse<T>>;

export class SubgraphCallError extends Error {
  constructor(
    message: string,
    /** TIMEOUT: no answer in time; UNAVAILABLE: could not be reached or answered 5xx; ERROR: answered with errors. */
    readonly kind: "TIMEOUT" | "UNAVAILABLE" | "ERROR",
  ) {
    super(message);
  }
}

/** `headers`: sent with every call (the gateway credential, GATEWAY_SHARED_SECRET, in distributed mode). */
export function httpTransport(url: string, headers: Record<string, string> = {}): SubgraphTransport {
  return async <T>(request: SubgraphRequest, { correlationId, signal }: { correlationId: string; signal: AbortSignal }) => {
    let res: Response;
    try {
      res = await fetch(url, {
        method: "POST",
        headers: { ...headers, "content-type": "application/json", [CORRELATION_HEADER]: correlationId },
        body: JSON.stringify(request),
        signal,
      });
    } catch (err) {
      if (signal.aborted) throw err;
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      throw new SubgraphCallError(`cannot reach ${url} (${cause?.code ?? cause?.message ?? (err as Error).message})`, "UNAVAILABLE");
    }
    const text = await res.text();
    let body: SubgraphResponse<T>;
    try {
      body = JSON.parse(text) as SubgraphResponse<T>;
    } catch {
      throw new SubgraphCallError(`${url} answered HTTP ${res.status} with a body that is not JSON`, res.status >= 500 ? "UNAVAILABLE" : "ERROR");
    }
    if (res.status >= 500 && !body.data)
      throw new SubgraphCallError(`${url} answered HTTP ${res.status}${body.errors?.length ? `: ${body.errors[0].message}` : ""}`, "UNAVAILABLE");
    return body;
  };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each subgraph has its own context type
export function inProcessTransport(subgraph: () => Subgraph<any>, db: Db): SubgraphTransport {
  return async <T>(request: SubgraphRequest, { correlationId }: { correlationId: string; signal: AbortSignal }) => {
    const target = subgraph();
    const response = await target.server.executeOperation(request, { contextValue: target.createContext({ db, correlationId }) });
    if (response.body.kind !== "single") throw new SubgraphCallError(`subgraph ${target.name} answered with an incremental result`, "ERROR");
    const { data, errors } = response.body.singleResult;
    return { data: data as T | null | undefined, errors: errors?.map((e) => ({ message: e.message, extensions: e.extensions })) };
  };
}

/** Calls with a deadline: past `timeoutMs` the request is aborted and a TIMEOUT error thrown. */
export async function callSubgraph<T>(
  transport: SubgraphTransport,
  request: SubgraphRequest,
  correlationId: string,
  timeoutMs: number,
): Promise<SubgraphResponse<T>> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new SubgraphCallError(`no answer within ${timeoutMs} ms`, "TIMEOUT"));
    }, timeoutMs);
  });
  try {
    return await Promise.race([transport<T>(request, { correlationId, signal: controller.signal }), deadline]);
  } finally {
    clearTimeout(timer);
  }
}

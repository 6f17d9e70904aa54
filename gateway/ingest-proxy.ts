// In distributed mode the ingestion endpoints live in the operations subgraph's process; the
// gateway forwards /ingest/* (and /documents/*, the partner documents it keeps) to it unchanged (body, headers, correlation id), so senders use one
// address in both modes.
import http from "node:http";
import type { Express, Request, Response } from "express";
import { correlationIdOf } from "../platform/http/server.js";
import { CORRELATION_HEADER } from "../platform/telemetry/correlation.js";
import { logRequestError, sendError } from "../platform/http/errors.js";
import { ErrorCode } from "../platform/errors.js";

/** The operations subgraph's URL from a supergraph document, if it has one. */
export function operationsUrlIn(supergraphSdl: string): string | null {
  return /@join__graph\(name:\s*"operations",\s*url:\s*"([^"]+)"\)/.exec(supergraphSdl)?.[1] ?? null;
}

/** A handler that forwards the request unchanged (body, headers, correlation id) to the service at `target`, streaming both ways. */
export function forwardTo(target: URL, what: string, unavailable: string) {
  return (req: Request, res: Response) => {
    const headers = { ...req.headers, host: target.host, [CORRELATION_HEADER]: correlationIdOf(req) };
    const upstream = http.request(
      { protocol: target.protocol, hostname: target.hostname, port: target.port, method: req.method, path: req.originalUrl, headers },
      (up) => {
        res.status(up.statusCode ?? 502);
        for (const [k, v] of Object.entries(up.headers)) if (v !== undefined && k !== "connection" && k !== "transfer-encoding") res.setHeader(k, v);
        up.pipe(res);
      },
    );
    upstream.on("error", (err) => {
      if (res.headersSent) return void res.destroy();
      logRequestError(req, `${what} unreachable`, err);
      sendError(req, res, { status: 502, code: ErrorCode.SUBGRAPH_UNAVAILABLE, message: unavailable });
    });
    req.pipe(upstream);
  };
}

export function mountIngestProxy(app: Express, operationsGraphqlUrl: string) {
  // Outbound documents (GET /documents/<id>) are served by the same process.
  app.all(
    ["/ingest/*path", "/documents/*path"],
    forwardTo(
      new URL(operationsGraphqlUrl),
      "ingestion service",
      "The ingestion service (operations subgraph) is unreachable; nothing was stored, retry later",
    ),
  );
}

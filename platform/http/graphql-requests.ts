// Rules for what reaches a GraphQL endpoint over HTTP before Apollo Server sees it:
//
// - Batches: a JSON array of operations runs as one request, up to a configured number of
//   operations (GRAPHQL_BATCH_MAX); more is refused before any operation runs, naming the count.
// - GET from tools: `GET /graphql?query=...` is a query-only request (Apollo refuses mutations over
//   GET). Apollo's CSRF protection refuses every GET that carries neither a non-simple content type
//   nor a preflight header, which also refuses curl and monitoring probes. The risk it guards
//   against is a browser sending a request on another site's behalf; browsers say so: every
//   current browser sends `Sec-Fetch-Site` (cross-site / same-site on a forged request) and a
//   cross-origin fetch carries `Origin`. So a GET is let through when neither says "another site"
//   (no Sec-Fetch-Site or `same-origin`/`none`, and no Origin or an allowed one). A browser on
//   another site still meets Apollo's check. The graph never authenticates with cookies, so even an
//   old browser that sends none of these headers cannot carry an identity into a forged request.
import type { Request, RequestHandler } from "express";
import { ErrorCode } from "../errors.js";

/** Apollo Server's CSRF check passes a request that carries this header. */
const PREFLIGHT_HEADER = "apollo-require-preflight";

export function allowToolGets(corsOrigins: readonly string[]): RequestHandler {
  const allowed = new Set(corsOrigins);
  return (req, _res, next) => {
    if (req.method === "GET" && !req.headers[PREFLIGHT_HEADER] && !fromAnotherSite(req, allowed)) req.headers[PREFLIGHT_HEADER] = "true";
    next();
  };
}

function fromAnotherSite(req: Request, allowed: Set<string>): boolean {
  const site = req.header("sec-fetch-site");
  if (site && site !== "same-origin" && site !== "none") return true;
  const origin = req.header("origin");
  if (!origin) return false;
  return !allowed.has(origin) && origin !== `${req.protocol}://${req.header("host")}`;
}

/** Refuses a JSON array of more than `max` operations (0: batching off) with a GraphQL-shaped 400. */
export function limitBatches(max: number): RequestHandler {
  return (req, res, next) => {
    if (!Array.isArray(req.body)) return next();
    const count = req.body.length;
    const problem =
      max === 0
        ? "Batched requests are turned off on this server (GRAPHQL_BATCH_MAX=0); send one operation per request"
        : count === 0
          ? "A batch must hold at least one operation"
          : count > max
            ? `A batch holds ${count} operations; at most ${max} are allowed per request (GRAPHQL_BATCH_MAX)`
            : null;
    if (!problem) return next();
    res.status(400).json({ errors: [{ message: problem, extensions: { code: ErrorCode.BATCH_TOO_LARGE, limit: max, value: count } }] });
  };
}

// Health endpoints for load balancers and orchestrators:
//   GET /health/live   200 while the process runs and its event loop turns (restart it otherwise)
//   GET /health/ready  200 when every readiness check passes, else 503 NOT_READY naming the
//                      failed ones (send it no traffic); GET /health is the same.
// Each check is bounded by a timeout (a database waiting on a lock counts as failing), and
// concurrent probes share one run of each check.
import type { Express, Request, Response } from "express";
import { ErrorCode } from "../errors.js";
import { correlationIdOf } from "./correlation.js";
import { logFor } from "../telemetry/log.js";

export interface ReadinessCheck {
  /** Name in the response's `checks`, e.g. "database" or "subgraph:orders". */
  name: string;
  /** Resolves (anything but false) when healthy; false or a throw means not ready. */
  run(): unknown;
}

export interface HealthOptions {
  /** HEALTH_CHECK_TIMEOUT_MS: how long one check may take before it counts as failed. */
  timeoutMs: number;
  /**
   * Figures reported next to the checks without deciding readiness (ingestion's wait, say): each
   * appears under its name when it answers within the timeout, and is left out otherwise.
   */
  details?: Record<string, () => Promise<unknown>>;
}

export function mountHealth(app: Express, checks: ReadinessCheck[], options: HealthOptions) {
  const inFlight = new Map<string, Promise<boolean>>();
  const runOnce = (c: ReadinessCheck, req: Request) => {
    let p = inFlight.get(c.name);
    if (!p) {
      p = bounded(c, options.timeoutMs, req).finally(() => inFlight.delete(c.name));
      inFlight.set(c.name, p);
    }
    return p;
  };
  const ready = async (req: Request, res: Response) => {
    const [results, figures] = await Promise.all([
      Promise.all(checks.map(async (c) => [c.name, await runOnce(c, req)] as const)).then((r) => Object.fromEntries(r) as Record<string, boolean>),
      Promise.all(Object.entries(options.details ?? {}).map(async ([name, detail]) => [name, await figure(detail, options.timeoutMs)] as const)),
    ]);
    const details = Object.fromEntries(figures.filter(([, v]) => v !== undefined));
    const failed = Object.keys(results).filter((k) => !results[k]);
    if (!failed.length) return void res.json({ status: "ready", checks: results, ...details });
    res.status(503).json({
      status: "not ready",
      code: ErrorCode.NOT_READY,
      message: `Not ready: ${failed.join(", ")} failed (each check has ${options.timeoutMs} ms)`,
      correlationId: correlationIdOf(req),
      checks: results,
      ...details,
    });
  };
  app.get("/health/live", (_req, res) => void res.json({ status: "live" }));
  app.get("/health/ready", ready);
  app.get("/health", ready);
}

async function bounded(c: ReadinessCheck, timeoutMs: number, req: Request): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<"timeout">((resolve) => (timer = setTimeout(() => resolve("timeout"), timeoutMs)));
  try {
    const outcome = await Promise.race([Promise.resolve().then(() => c.run()), timeout]);
    if (outcome === "timeout") {
      log(req, c.name, `no answer within ${timeoutMs} ms`);
      return false;
    }
    return outcome !== false;
  } catch (err) {
    log(req, c.name, String(err));
    return false;
  } finally {
    clearTimeout(timer);
  }
}

async function figure(detail: () => Promise<unknown>, timeoutMs: number): Promise<unknown> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([detail(), new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), timeoutMs)))]);
  } catch {
    return undefined;
  } finally {
    clearTimeout(timer);
  }
}

const log = (req: Request, check: string, error: string) => logFor(correlationIdOf(req)).warn({ check, error }, "readiness check failed");

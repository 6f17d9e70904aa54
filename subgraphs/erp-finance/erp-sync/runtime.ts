// What a process that hosts erp-finance runs for the ERPs: the posting worker, and per business
// unit with a connector, a pull every pollIntervalMs (customers, sales orders, acknowledgements).
// Connectors are built from their rows and kept while the row is unchanged (a cloud connector
// keeps its OAuth2 token), so configureErpConnector takes effect at the next poll.
import type { Db } from "../../../platform/db/client.js";
import { log } from "../../../platform/telemetry/log.js";
import type { HandlerRegistry } from "../../../platform/ingest/handlers.js";
import { PostingWorker, type PostingWorkerOptions, type ResolvedConnector } from "../posting/worker.js";
import { buildConnector, type ErpSettings } from "./connectors.js";
import { syncBusinessUnit, type SyncReport } from "./sync.js";

export interface ErpRuntimeOptions extends ErpSettings {
  /** The ingestion handlers (sales orders from the ERP are captured through them); null: no sales-order pull. */
  registry: HandlerRegistry | null;
  /** ERP_POSTING_POLL_MS (default 1000). */
  postingPollMs?: number;
  /** Pull customers, orders and acknowledgements on each connector's pollIntervalMs (default true). */
  pull?: boolean;
  worker?: Omit<PostingWorkerOptions, "connectorFor" | "pollIntervalMs">;
  log?: (entry: Record<string, unknown>) => void;
}

export class ErpRuntime {
  readonly worker: PostingWorker;
  private cache = new Map<string, { stamp: number; resolved: ResolvedConnector }>();
  private timer: NodeJS.Timeout | null = null;
  private syncing: Promise<unknown> | null = null;
  private lastPull = new Map<string, number>();
  private readonly log: (entry: Record<string, unknown>) => void;

  constructor(
    private readonly db: Db,
    private readonly options: ErpRuntimeOptions,
  ) {
    // Default: the process's structured log (pino), at the entry's level.
    this.log =
      options.log ??
      (({ level, msg, ...fields }) => {
        const write = level === "error" ? log.error.bind(log) : level === "warn" ? log.warn.bind(log) : log.info.bind(log);
        write(fields, String(msg ?? "ERP"));
      });
    this.worker = new PostingWorker(db, {
      ...options.worker,
      pollIntervalMs: options.postingPollMs,
      connectorFor: (bu) => this.connectorFor(bu),
      log: this.log,
    });
  }

  async connectorFor(businessUnitId: string): Promise<ResolvedConnector> {
    const row = await this.db.erpConnector.findUnique({ where: { businessUnitId } });
    if (!row) return { row: null, problem: `no ERP connector is configured for business unit ${businessUnitId} (configureErpConnector)` };
    const cached = this.cache.get(businessUnitId);
    if (cached && cached.stamp === row.updatedAt.getTime()) return cached.resolved;
    const built = buildConnector(row, this.options);
    const resolved: ResolvedConnector = "problem" in built ? { row, problem: built.problem } : { row, api: built };
    this.cache.set(businessUnitId, { stamp: row.updatedAt.getTime(), resolved });
    return resolved;
  }

  start() {
    this.worker.start();
    if (this.options.pull === false) return;
    const tick = () => {
      this.timer = setTimeout(() => {
        this.syncing = this.pullDue()
          .catch((err) => this.log({ level: "error", msg: "ERP pull failed", error: String(err) }))
          .finally(() => {
            this.syncing = null;
            if (this.timer) tick();
          });
      }, 250);
      this.timer.unref();
    };
    tick();
  }

  async stop() {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.syncing;
    await this.worker.stop();
  }

  /** Pulls every connector whose pollIntervalMs has elapsed since its last pull. */
  private async pullDue() {
    const rows = await this.db.erpConnector.findMany({ where: { enabled: true } });
    for (const row of rows) {
      const last = this.lastPull.get(row.businessUnitId) ?? 0;
      if (Date.now() - last < row.pollIntervalMs) continue;
      this.lastPull.set(row.businessUnitId, Date.now());
      const report = await this.syncNow(row.businessUnitId).catch((err) => ({ businessUnitId: row.businessUnitId, units: [], error: String(err) }));
      // Only what changed something is logged: a quiet ERP makes no lines.
      const applied = "units" in report ? report.units.filter((u) => u.state !== "APPLIED" || changedSomething(u.result)) : [];
      if (applied.length || ("unavailable" in report && report.unavailable) || "error" in report)
        this.log({ level: "info", msg: "ERP pull", ...report, units: applied });
    }
  }

  /** Pulls one business unit's ERP now. */
  async syncNow(businessUnitId: string): Promise<SyncReport> {
    const resolved = await this.connectorFor(businessUnitId);
    if ("problem" in resolved) return { businessUnitId, units: [], unavailable: resolved.problem };
    return syncBusinessUnit(this.db, this.options.registry, businessUnitId, resolved.api);
  }
}

/** Whether an applied unit's result changed anything (customers created or updated, orders submitted, postings acknowledged). */
function changedSomething(result: unknown): boolean {
  if (!result || typeof result !== "object") return false;
  const r = result as Record<string, unknown>;
  return ["created", "updated", "orders", "posted", "rejected", "ignored", "notRead"].some((k) => Array.isArray(r[k]) && (r[k] as unknown[]).length > 0);
}

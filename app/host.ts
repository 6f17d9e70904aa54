// What a process hosts: some subgraphs (all of them when embedded), the event consumers of the
// domains it hosts, and, with the operations subgraph, the ingestion pipeline and its recovery
// of messages left RECEIVED by a crash.
import type { KpiAlertOptions } from "../platform/kpi/alerts.js";
import type { Database } from "../platform/db/index.js";
import { EventConsumer } from "../platform/events/consumer.js";
import { recoverPending } from "../platform/ingest/pipeline.js";
import { pruneRawBodies } from "../platform/ingest/retention.js";
import { pruneHandlingRecords } from "../platform/events/handling-record.js";
import { DEFAULT_INGEST_OPTIONS, subgraphUrlsFromEnv, type IngestOptions } from "./config.js";
import { remoteExceptions } from "../platform/exceptions/remote.js";
import type { HandlerRegistry } from "../platform/ingest/handlers.js";
import type { SubgraphName } from "../subgraphs/catalog.js";
import { consumerDefinitions } from "./consumers.js";
import { createHandlerRegistry } from "./ingest-handlers.js";
import { subgraphFactories, type AnySubgraph } from "./subgraph-registry.js";
import { httpTransport, inProcessTransport } from "../platform/graphql/subgraph-client.js";
import { creditClient } from "../subgraphs/orders/credit.js";
import type { OrderCaptureDeps } from "../subgraphs/orders/capture.js";
import { drainIngestion, type IngestRouterOptions } from "../platform/ingest/router.js";
import { shopifyAuthenticator } from "../platform/ingest/auth/shopify-hmac.js";
import { acknowledgeX12Groups } from "../platform/ingest/x12-997.js";
import { log } from "../platform/telemetry/log.js";
import { DEFAULT_DELIVERY_OPTIONS, DeliveryWorker, type DeliveryOptions } from "../platform/documents/delivery.js";
import { ErpRuntime, type ErpRuntimeOptions } from "../subgraphs/erp-finance/erp-sync/runtime.js";
import { GATEWAY_SECRET_HEADER } from "../platform/auth/gateway-credential.js";

export interface HostOptions {
  /** Run the hosted domains' event consumers (default true). */
  consumers?: boolean;
  /** Consumer fallback poll interval in ms (EVENT_POLL_MS, default 1000). */
  pollIntervalMs?: number;
  /** How often the sweep looks for FAILED inbound messages due for a retry, in ms (INGEST_RETRY_MS, default 10000). */
  ingestRetryMs?: number;
  /** Clock skew, oversized prefix, raw-body budget and retention (app/config.ts ingestOptionsFromEnv). */
  ingest?: Partial<IngestOptions>;
  /**
   * erp-finance's GraphQL URL for order capture's credit check (ERP_FINANCE_URL). Default: the
   * erp-finance subgraph in this process when it hosts it, else http://127.0.0.1:4003/graphql.
   */
  erpFinanceUrl?: string;
  /** Deadline of the credit check in ms (CREDIT_CHECK_TIMEOUT_MS, default 2000). */
  creditCheckTimeoutMs?: number;
  /** Currency of orders that name none (ORDER_DEFAULT_CURRENCY, default USD). */
  defaultCurrency?: string;
  /** KPI threshold alerts (KPI_ALERTS...), evaluated by the process that runs the gateway; none by default. */
  kpiAlerts?: KpiAlertOptions;
  /** Release ALLOCATED orders to the warehouses at once (ORDER_AUTO_RELEASE, default true); false: releaseOrder does it. */
  autoRelease?: boolean;
  /** Outbound document delivery (WAREHOUSE_OUTBOX_DIR, DOCUMENT_DELIVERY_ATTEMPTS, DOCUMENT_DELIVERY_POLL_MS); run by the process hosting shipments. */
  delivery?: Partial<DeliveryOptions>;
  /**
   * The ERP connectors (posting worker, pulls of customers, sales orders and acknowledgements),
   * run when this process hosts erp-finance. Unset: none (tests that do not post to an ERP).
   */
  erp?: Omit<ErpRuntimeOptions, "registry">;
  /** GATEWAY_SHARED_SECRET: sent with calls to other subgraphs (the credit check), which accept only holders of it. */
  gatewaySecret?: string;
  /**
   * Where the subgraphs this process does not host answer (<NAME>_URL, app/config.ts
   * subgraphUrlsFromEnv): operations reads erp-finance's and shipments' exceptions there. A
   * subgraph this process hosts is called in process.
   */
  subgraphUrls?: Partial<Record<SubgraphName, string>>;
}

export interface Host {
  subgraphs: Partial<Record<SubgraphName, AnySubgraph>>;
  handlers: HandlerRegistry;
  /** What order capture uses (also for channel adapters in the ingestion pipeline). */
  orderCapture: OrderCaptureDeps;
  consumers: EventConsumer[];
  /** The ERP connectors, when this process hosts erp-finance and was given options.erp. */
  erp: ErpRuntime | null;
  /** True when this process runs the ingestion endpoints. */
  ingests: boolean;
  ingestOptions: IngestOptions;
  /** What the ingestion routes of this host check and do after processing (Shopify's HMAC, X12 997s). */
  ingestHooks: Pick<IngestRouterOptions, "authenticators" | "afterProcessing">;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export function createHost(database: Database, names: readonly SubgraphName[], options: HostOptions = {}): Host {
  const ingestOptions: IngestOptions = { ...DEFAULT_INGEST_OPTIONS, ...options.ingest };
  // Order capture asks erp-finance through its public API: in-process when this process hosts it,
  // over HTTP otherwise (or when a URL is given), with the same operation either way.
  const financeTransport =
    names.includes("erp-finance") && !options.erpFinanceUrl
      ? inProcessTransport(() => subgraphs["erp-finance"]!, database.db)
      : httpTransport(
          options.erpFinanceUrl ?? "http://127.0.0.1:4003/graphql",
          options.gatewaySecret ? { [GATEWAY_SECRET_HEADER]: options.gatewaySecret } : {},
        );
  const orderCapture: OrderCaptureDeps = {
    credit: creditClient(financeTransport, options.creditCheckTimeoutMs ?? 2000),
    defaultCurrency: options.defaultCurrency ?? "USD",
  };
  // The exception queue: operations reads erp-finance's and shipments' exceptions through their
  // own API (internal fields), in process or over HTTP like the credit check.
  const transportTo = (name: SubgraphName) =>
    names.includes(name)
      ? inProcessTransport(() => subgraphs[name]!, database.db)
      : httpTransport(
          options.subgraphUrls?.[name] ?? subgraphUrlsFromEnv({})[name],
          options.gatewaySecret ? { [GATEWAY_SECRET_HEADER]: options.gatewaySecret } : {},
        );
  const exceptionTransports = { finance: transportTo("erp-finance"), shipments: transportTo("shipments") };
  const exceptionContributors = ({ correlationId }: { correlationId: string }) => [
    remoteExceptions({ domain: "erp-finance", kinds: ["FAILED_POSTING"], prefix: "Finance", transport: exceptionTransports.finance, correlationId }),
    remoteExceptions({ domain: "shipments", kinds: ["FAILED_DELIVERY"], prefix: "Shipment", transport: exceptionTransports.shipments, correlationId }),
  ];
  const handlers = createHandlerRegistry({ maxClockSkewMs: ingestOptions.maxClockSkewMs, now: ingestOptions.now }, orderCapture);
  const subgraphs: Host["subgraphs"] = Object.fromEntries(
    names.map((n) => [n, subgraphFactories[n]({ handlers, ingest: ingestOptions, orderCapture, remoteExceptions: exceptionContributors })]),
  ) as Host["subgraphs"];
  const consumers =
    options.consumers === false
      ? []
      : consumerDefinitions
          .filter((c) => names.includes(c.owner) && !(c.optional === "autoRelease" && options.autoRelease === false))
          .map((c) => new EventConsumer(database.db, database.store, { ...c.definition, pollIntervalMs: options.pollIntervalMs }));
  const ingests = names.includes("operations");
  // Warehouse shipping orders (and any queued outbound document) leave from the process hosting shipments.
  // Background work like the consumers: a host started without consumers (a test counting statements) has none.
  const delivery =
    names.includes("shipments") && options.consumers !== false ? new DeliveryWorker(database.db, { ...DEFAULT_DELIVERY_OPTIONS, ...options.delivery }) : null;
  // Sales orders pulled from an ERP are captured through this process's ingestion handlers.
  const erp = names.includes("erp-finance") && options.erp ? new ErpRuntime(database.db, { ...options.erp, registry: handlers }) : null;
  const ingestHooks: Host["ingestHooks"] = {
    authenticators: { "shopify-hmac": shopifyAuthenticator(ingestOptions.shopifyWebhookSecrets ?? new Map()) },
    // Every received X12 functional group is answered with a 997 once its sets were processed.
    afterProcessing: async (route, messages) => {
      if (route.source !== "x12") return;
      await acknowledgeX12Groups(
        database.db,
        messages.map((m) => ({
          messageId: m.outcome.id,
          idempotencyKey: m.incoming.idempotencyKey,
          raw: m.incoming.raw,
          state: m.outcome.state,
          failedStep: m.outcome.failedStep,
          correlationId: m.incoming.correlationId,
        })),
        ingestOptions.now?.(),
      );
    },
  };
  let retryTimer: NodeJS.Timeout | null = null;
  let retrying: Promise<unknown> | null = null;
  let pruneTimer: NodeJS.Timeout | null = null;
  let pruning: Promise<unknown> | null = null;
  const retentionMs = ingestOptions.rawRetentionMs;
  const prune = () => {
    if (retentionMs == null || pruning) return;
    const olderThan = new Date(Date.now() - retentionMs);
    pruning = pruneRawBodies(database.db, { olderThan })
      .then((n) => n && log.info({ count: n }, "pruned raw bodies of processed messages"))
      // The consumers' handling records (for trace) age out with the bodies.
      .then(() => pruneHandlingRecords(database.db, olderThan))
      .then((n) => n && log.info({ count: n }, "pruned consumer handling records"))
      .catch((err) => log.error({ error: String(err) }, "raw body retention failed"))
      .finally(() => (pruning = null));
  };
  const retryLater = () => {
    retryTimer = setTimeout(() => {
      retrying = recoverPending(database.db, handlers, { settledForMs: 60_000, respectBackoff: true })
        .catch((err) => log.error({ error: String(err) }, "ingest retry failed"))
        .finally(() => {
          retrying = null;
          if (retryTimer) retryLater();
        });
    }, options.ingestRetryMs ?? 10_000);
    retryTimer.unref();
  };
  return {
    subgraphs,
    handlers,
    orderCapture,
    consumers,
    erp,
    ingests,
    ingestOptions,
    ingestHooks,
    async start() {
      await Promise.all(Object.values(subgraphs).map((s) => s!.server.start()));
      if (ingests) {
        const recovered = await recoverPending(database.db, handlers);
        if (recovered) log.info({ count: recovered }, "recovered pending inbound messages");
        retryLater();
        if (retentionMs != null) {
          prune();
          pruneTimer = setInterval(prune, ingestOptions.rawPruneIntervalMs ?? 3_600_000);
          pruneTimer.unref();
        }
      }
      await Promise.all(consumers.map((c) => c.start()));
      delivery?.start();
      erp?.start();
    },
    async stop() {
      if (retryTimer) clearTimeout(retryTimer);
      retryTimer = null;
      if (pruneTimer) clearInterval(pruneTimer);
      await erp?.stop();
      await Promise.all([retrying, pruning, drainIngestion(), delivery?.stop()]);
      await Promise.all(consumers.map((c) => c.stop()));
      await Promise.all(Object.values(subgraphs).map((s) => s!.server.stop()));
    },
  };
}

// OpenTelemetry tracing, off unless a process starts it (OTEL_TRACING=on): a server span per HTTP
// request continuing the caller's W3C traceparent, @apollo/gateway's own spans (request, plan,
// fetch) under it, and the trace context injected into every subgraph fetch over HTTP, so one trace
// spans the gateway and the subgraph processes. Spans go to an OTLP/HTTP collector.
import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import { Resource } from "@opentelemetry/resources";
import { BatchSpanProcessor, SimpleSpanProcessor, type SpanExporter } from "@opentelemetry/sdk-trace-base";
import { NodeTracerProvider } from "@opentelemetry/sdk-trace-node";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import type { RequestHandler } from "express";

export interface TracingOptions {
  serviceName: string;
  /** OTLP/HTTP traces endpoint (OTEL_EXPORTER_OTLP_TRACES_ENDPOINT); default the exporter's own (http://localhost:4318/v1/traces). */
  endpoint?: string;
  /** Tests: export here, synchronously, instead of over OTLP. */
  exporter?: SpanExporter;
}

let provider: NodeTracerProvider | null = null;

export const tracingEnabled = () => provider !== null;

/** Registers the global tracer provider, the AsyncLocalStorage context manager and the W3C propagator. */
export function startTracing(options: TracingOptions): { shutdown(): Promise<void> } {
  provider = new NodeTracerProvider({ resource: new Resource({ "service.name": options.serviceName }) });
  provider.addSpanProcessor(
    options.exporter
      ? new SimpleSpanProcessor(options.exporter)
      : new BatchSpanProcessor(new OTLPTraceExporter(options.endpoint ? { url: options.endpoint } : {})),
  );
  provider.register({ propagator: new W3CTraceContextPropagator() });
  const started = provider;
  return {
    shutdown: async () => {
      await started.shutdown();
      if (provider === started) provider = null;
    },
  };
}

/** Express: a server span per request, child of the caller's traceparent, active while the request is handled. */
export const traceRequests: RequestHandler = (req, res, next) => {
  if (!provider) return next();
  const parent = propagation.extract(ROOT_CONTEXT, req.headers);
  const path = req.originalUrl.split("?")[0]!;
  const span = trace
    .getTracer("distribution-graph")
    .startSpan(
      `${req.method} ${path.startsWith("/subgraphs/") ? path : `/${path.split("/")[1] ?? ""}`}`,
      { kind: SpanKind.SERVER, attributes: { "http.request.method": req.method, "url.path": path, "server.port": req.socket.localPort ?? 0 } },
      parent,
    );
  res.on("finish", () => {
    span.setAttribute("http.response.status_code", res.statusCode);
    const correlationId = res.getHeader("x-correlation-id");
    if (correlationId) span.setAttribute("correlation.id", String(correlationId));
    if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
    span.end();
  });
  context.with(trace.setSpan(parent, span), next);
};

/** Writes the active trace context (traceparent) into outgoing headers; nothing when tracing is off. */
export function injectTraceContext(headers: { set(name: string, value: string): void }) {
  if (!provider) return;
  propagation.inject(context.active(), headers, { set: (carrier, key, value) => carrier.set(key, value) });
}

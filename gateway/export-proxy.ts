// In distributed mode each dataset of GET /export/<dataset> is served by the process of the
// subgraph that owns it; the gateway forwards the request there (streamed, not buffered), so
// analytics tools use one address in both modes.
import type { Express } from "express";
import { forwardTo } from "./ingest-proxy.js";

/** A subgraph's URL by name, from a supergraph document's join__graph directives. */
export function subgraphUrlIn(supergraphSdl: string, name: string): string | null {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`@join__graph\\(name:\\s*"${escaped}",\\s*url:\\s*"([^"]+)"\\)`).exec(supergraphSdl)?.[1] ?? null;
}

/** owners: dataset name -> owning subgraph name. Datasets whose subgraph is not in the supergraph are left unmounted (404). */
export function mountExportProxy(app: Express, supergraphSdl: string, owners: Record<string, string>) {
  for (const [dataset, subgraph] of Object.entries(owners)) {
    const url = subgraphUrlIn(supergraphSdl, subgraph);
    if (url)
      app.get(
        `/export/${dataset}`,
        forwardTo(new URL(url), `${subgraph} subgraph`, `The ${subgraph} subgraph, which serves the ${dataset} export, is unreachable; retry later`),
      );
  }
}

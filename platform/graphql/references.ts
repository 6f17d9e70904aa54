// What a subgraph returns for an entity it does not own: the key only; the gateway fetches the rest.
export interface IdReference {
  id: string;
}
export interface SkuReference {
  sku: string;
}

export interface ReplayReportModel {
  replayed: number;
  results: Omit<import("../db/generated/client.js").InboundMessage, "raw">[];
}

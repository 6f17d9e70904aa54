// Our own subgraphs composed into a supergraph at the given URLs.
import { composeSupergraph } from "../gateway/supergraph.js";
import { subgraphNames, subgraphSdl, type SubgraphName } from "../subgraphs/catalog.js";

export function composeOwnSupergraph(urls: Record<SubgraphName, string>): string {
  return composeSupergraph(subgraphNames.map((name) => ({ name, url: urls[name], sdl: subgraphSdl(name) })));
}

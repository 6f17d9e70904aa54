// Our own subgraphs composed into a supergraph at the given URLs.
import { composeApiSchema, composeSupergraph } from "../gateway/supergraph.js";
import type { GraphQLSchema } from "graphql";
import { subgraphNames, subgraphSdl, type SubgraphName } from "../subgraphs/catalog.js";

export function composeOwnSupergraph(urls: Record<SubgraphName, string>): string {
  return composeSupergraph(subgraphNames.map((name) => ({ name, url: urls[name], sdl: subgraphSdl(name) })));
}

export function composeOwnApiSchema(): GraphQLSchema {
  return composeApiSchema(subgraphNames.map((name) => ({ name, url: `http://${name}.invalid/graphql`, sdl: subgraphSdl(name) })));
}

// Composes the subgraphs' SDL into a supergraph in code (no rover). Composition errors stop the
// gateway at start, listed one per line, instead of surfacing later as query-plan failures.
import { composeServices } from "@apollo/composition";
import { parse, type GraphQLSchema } from "graphql";

export class CompositionError extends Error {
  constructor(public readonly errors: readonly string[]) {
    super(`The subgraphs do not compose:\n${errors.map((e) => `  - ${e}`).join("\n")}`);
  }
}

export interface SubgraphDefinition {
  name: string;
  url: string;
  sdl: string;
}

export function composeSupergraph(subgraphs: SubgraphDefinition[]): string {
  const result = composeServices(subgraphs.map((s) => ({ name: s.name, url: s.url, typeDefs: parse(s.sdl) })));
  if (result.errors?.length) throw new CompositionError(result.errors.map((e) => e.message));
  return result.supergraphSdl!;
}

/** The public (API) schema of our subgraphs composed: what clients can query (tools, documents:register, the catalog). */
export function composeApiSchema(subgraphs: SubgraphDefinition[]): GraphQLSchema {
  const result = composeServices(subgraphs.map((s) => ({ name: s.name, url: s.url, typeDefs: parse(s.sdl) })));
  if (result.errors?.length) throw new CompositionError(result.errors.map((e) => e.message));
  return result.schema!.toAPISchema().toGraphQLJSSchema();
}

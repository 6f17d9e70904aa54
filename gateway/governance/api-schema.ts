// The public (API) schema of a supergraph document: what clients see, without the join__ and
// link__ machinery. Schema checks and the API catalog compare and describe this.
import { Supergraph } from "@apollo/federation-internals";
import type { GraphQLSchema } from "graphql";
import { withoutSecurityPurpose } from "../gateway.js";

export function apiSchemaOfSupergraph(supergraphSdl: string): GraphQLSchema {
  return Supergraph.build(withoutSecurityPurpose(supergraphSdl)).apiSchema().toGraphQLJSSchema();
}

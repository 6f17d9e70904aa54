// The schema subscription results are shaped with: the API schema's types without its resolvers.
// Apollo Server wraps every field resolver of the gateway's schema (for its plugins) once the
// first operation has run, and those wrappers ignore the field resolver graphql-js is given, so
// data keyed by alias (what a follow-up query returns) came back null. A resolver-free copy per
// loaded schema leaves the field resolver in charge.
import { buildASTSchema, parse, printSchema, type GraphQLSchema } from "graphql";

const copies = new WeakMap<GraphQLSchema, GraphQLSchema>();

export function executionSchemaOf(apiSchema: GraphQLSchema): GraphQLSchema {
  let copy = copies.get(apiSchema);
  if (!copy) {
    copy = buildASTSchema(parse(printSchema(apiSchema)));
    copies.set(apiSchema, copy);
  }
  return copy;
}

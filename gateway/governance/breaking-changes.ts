// Schema governance: which changes between two supergraphs break a consumer, with
// @graphql-inspector/core's diff. A breaking change (a field, type, argument or enum value removed
// or retyped, an argument made required) fails the check unless the element was deprecated in the
// old schema first: removing what was announced as going away is the way to evolve.
import { CriticalityLevel, diff, type Change } from "@graphql-inspector/core";
import { isEnumType, isInputObjectType, isInterfaceType, isObjectType, type GraphQLSchema } from "graphql";
import { apiSchemaOfSupergraph } from "./api-schema.js";

export interface SchemaCheck {
  /** Breaking changes to elements that were not deprecated: these fail the check. */
  breaking: Change[];
  /** Breaking changes to elements deprecated beforehand: allowed, reported. */
  afterDeprecation: Change[];
  /** Dangerous (a default changed, an enum value added) and safe changes, for the record. */
  other: Change[];
}

/** Whether the element a change path names ("Type.field", "Type.field.arg", "Enum.VALUE") was deprecated. */
export function wasDeprecated(schema: GraphQLSchema, path: string | undefined): boolean {
  if (!path) return false;
  const [typeName, member, arg] = path.split(".");
  const type = schema.getType(typeName);
  if (!type || !member) return false;
  if (isEnumType(type)) return !!type.getValue(member)?.deprecationReason;
  if (isObjectType(type) || isInterfaceType(type)) {
    const field = type.getFields()[member];
    if (!field) return false;
    if (field.deprecationReason) return true;
    return !!arg && !!field.args.find((a) => a.name === arg)?.deprecationReason;
  }
  if (isInputObjectType(type)) return !!type.getFields()[member]?.deprecationReason;
  return false;
}

export async function checkSchemaChange(oldSupergraphSdl: string, newSupergraphSdl: string): Promise<SchemaCheck> {
  const before = apiSchemaOfSupergraph(oldSupergraphSdl);
  const after = apiSchemaOfSupergraph(newSupergraphSdl);
  const changes = await diff(before, after);
  const result: SchemaCheck = { breaking: [], afterDeprecation: [], other: [] };
  for (const c of changes) {
    if (c.criticality.level !== CriticalityLevel.Breaking) result.other.push(c);
    else if (wasDeprecated(before, c.path)) result.afterDeprecation.push(c);
    else result.breaking.push(c);
  }
  return result;
}

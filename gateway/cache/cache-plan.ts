// How the entity cache runs one operation: whether it may be cached at all, and the document to
// execute instead of the client's. The executed document is the client's with fragments inlined
// and two fields added to every entity's selection (its __typename and its key, under aliases no
// client uses), so that the answer names every entity in it even when the client did not ask for
// the key; response-tags.ts reads them and takes them out before the client sees the answer.
import {
  getNamedType,
  isCompositeType,
  isListType,
  isNonNullType,
  isObjectType,
  Kind,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLObjectType,
  type GraphQLOutputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionNode,
  type SelectionSetNode,
} from "graphql";
import { CACHEABLE_TYPES, ENTITY_KEYS } from "./cacheable-types.js";

export const TYPE_MARKER = "_entityCacheType";
export const KEY_MARKER = "_entityCacheKey";

/** One root field of the operation, by its response key. */
export interface RootField {
  responseKey: string;
  /** The field returns one entity (order(id)): its answer is tagged with the entities in it. */
  single: boolean;
  /** Entity types anywhere under the field: a list (or a missing entity) is tagged with these. */
  types: Set<string>;
}

export type CachePlan = { cacheable: false; reason: string } | { cacheable: true; document: DocumentNode; roots: RootField[] };

class NotCacheable extends Error {}

export function planFor(schema: GraphQLSchema, document: DocumentNode, operationName: string | null | undefined): CachePlan {
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  const operation = operationName ? operations.find((o) => o.name?.value === operationName) : operations.length === 1 ? operations[0] : undefined;
  if (!operation) return { cacheable: false, reason: "no single operation" };
  if (operation.operation !== "query") return { cacheable: false, reason: operation.operation };
  const fragments = new Map(document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((f) => [f.name.value, f]));
  const queryType = schema.getQueryType()!;
  try {
    const roots: RootField[] = [];
    const walker = new Walker(schema, fragments);
    const rootSet = walker.rootSelections(operation.selectionSet, queryType, roots);
    return { cacheable: true, roots, document: { kind: Kind.DOCUMENT, definitions: [{ ...operation, selectionSet: rootSet }] } };
  } catch (err) {
    if (err instanceof NotCacheable) return { cacheable: false, reason: err.message };
    throw err;
  }
}

class Walker {
  constructor(
    private readonly schema: GraphQLSchema,
    private readonly fragments: Map<string, FragmentDefinitionNode>,
  ) {}

  /** The operation's own selection set: each root field is planned on its own. */
  rootSelections(set: SelectionSetNode, queryType: GraphQLObjectType, roots: RootField[]): SelectionSetNode {
    const selections = set.selections.map((selection): SelectionNode => {
      if (selection.kind === Kind.FIELD) {
        if (selection.name.value === "__typename") return selection;
        const types = new Set<string>();
        const field = this.field(selection, queryType, types);
        const type = queryType.getFields()[selection.name.value]!.type;
        // A list's members may change without any selected entity changing: its item type counts too.
        const item = itemEntityType(type);
        if (item) types.add(item);
        roots.push({ responseKey: selection.alias?.value ?? selection.name.value, single: isSingleEntity(type), types });
        return field;
      }
      const inner = this.fragmentSelections(selection);
      if ((inner.type ?? queryType) !== queryType) throw new NotCacheable("a fragment on another root type");
      return {
        kind: Kind.INLINE_FRAGMENT,
        typeCondition: inner.typeCondition,
        directives: selection.directives,
        selectionSet: this.rootSelections(inner.set, queryType, roots),
      };
    });
    return { ...set, selections };
  }

  private field(node: FieldNode, parent: GraphQLObjectType, types: Set<string>): FieldNode {
    const name = node.name.value;
    if (name.startsWith("__") && name !== "__typename") throw new NotCacheable("introspection");
    if (node.alias?.value === TYPE_MARKER || node.alias?.value === KEY_MARKER) throw new NotCacheable("an alias the cache uses");
    if (!node.selectionSet) return node;
    const definition = parent.getFields()[name];
    if (!definition) throw new NotCacheable(`unknown field ${parent.name}.${name}`);
    const type = getNamedType(definition.type);
    if (!isObjectType(type)) throw new NotCacheable(`${parent.name}.${name} returns an abstract type`);
    return { ...node, selectionSet: this.selections(node.selectionSet, type, types) };
  }

  private selections(set: SelectionSetNode, parent: GraphQLObjectType, types: Set<string>): SelectionSetNode {
    if (!CACHEABLE_TYPES.has(parent.name)) throw new NotCacheable(`${parent.name} is not announced in the event log`);
    const selections: SelectionNode[] = set.selections.map((selection) => {
      if (selection.kind === Kind.FIELD) return this.field(selection, parent, types);
      const inner = this.fragmentSelections(selection);
      if ((inner.type ?? parent) !== parent) throw new NotCacheable("a fragment on an abstract type");
      return {
        kind: Kind.INLINE_FRAGMENT,
        typeCondition: inner.typeCondition,
        directives: selection.directives,
        selectionSet: this.selections(inner.set, parent, types),
      };
    });
    const key = ENTITY_KEYS[parent.name];
    if (key) {
      types.add(parent.name);
      selections.push(aliased(TYPE_MARKER, "__typename"), aliased(KEY_MARKER, key));
    }
    return { ...set, selections };
  }

  /** A fragment spread or inline fragment: its selections, type and condition (spreads become inline fragments). */
  private fragmentSelections(selection: Exclude<SelectionNode, FieldNode>) {
    const source = selection.kind === Kind.FRAGMENT_SPREAD ? this.fragments.get(selection.name.value) : selection;
    if (!source) throw new NotCacheable("an unknown fragment");
    const type = source.typeCondition ? this.schema.getType(source.typeCondition.name.value) : undefined;
    if (source.typeCondition && !isCompositeType(type)) throw new NotCacheable("a fragment on an unknown type");
    return { set: source.selectionSet, type: type ?? null, typeCondition: source.typeCondition };
  }
}

function aliased(alias: string, field: string): FieldNode {
  return { kind: Kind.FIELD, alias: { kind: Kind.NAME, value: alias }, name: { kind: Kind.NAME, value: field } };
}

/** The entity type a field lists or returns: itself, a list's item, or a connection's nodes. */
function itemEntityType(type: GraphQLOutputType): string | null {
  const named = getNamedType(type);
  if (named.name in ENTITY_KEYS) return named.name;
  if (!isObjectType(named)) return null;
  const nodes = named.getFields().nodes ?? named.getFields().edges;
  if (!nodes) return null;
  const item = getNamedType(nodes.type);
  if (item.name in ENTITY_KEYS) return item.name;
  const node = isObjectType(item) ? item.getFields().node : undefined;
  return node && getNamedType(node.type).name in ENTITY_KEYS ? getNamedType(node.type).name : null;
}

function isSingleEntity(type: GraphQLOutputType): boolean {
  const inner = isNonNullType(type) ? type.ofType : type;
  return !isListType(inner) && isObjectType(inner) && inner.name in ENTITY_KEYS;
}

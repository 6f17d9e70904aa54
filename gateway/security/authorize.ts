// Authorization declared in the subgraphs' SDL with Federation's @authenticated and
// @requiresScopes, enforced here before any subgraph is asked (@apollo/gateway composes the
// directives into the supergraph but does not enforce them). A field the caller may not see is
// taken out of the operation before planning, so its owning subgraph never receives it; in the
// response it is null with an error naming the scope that was missing (Apollo Router's semantics).
//
// A directive on a field applies to that field; on a type, to every field that returns the type.
// @requiresScopes(scopes: [["a", "b"], ["c"]]) means (a AND b) OR c.
import {
  getNamedType,
  GraphQLError,
  Kind,
  parse,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  type DirectiveNode,
  type DocumentNode,
  type GraphQLSchema,
  type SelectionSetNode,
} from "graphql";
import type { Identity } from "../../platform/auth/identity.js";

export interface Requirement {
  authenticated: boolean;
  /** Alternatives, each a set of scopes that must all be held; empty: no scope needed. */
  scopes: string[][];
}

export const AuthorizationCode = { UNAUTHENTICATED: "UNAUTHENTICATED", FORBIDDEN: "FORBIDDEN" } as const;

export interface Denial {
  coordinate: string;
  error: GraphQLError;
}

function requirementOf(directives: readonly DirectiveNode[] | undefined): Requirement | null {
  let req = null as Requirement | null;
  for (const d of directives ?? []) {
    if (d.name.value === "authenticated") req = { authenticated: true, scopes: req ? req.scopes : [] };
    if (d.name.value === "requiresScopes") {
      const arg = d.arguments?.find((a) => a.name.value === "scopes")?.value;
      const alternatives =
        arg?.kind === Kind.LIST
          ? arg.values.map((alt) => (alt.kind === Kind.LIST ? alt.values.flatMap((s) => (s.kind === Kind.STRING ? [s.value] : [])) : []))
          : [];
      req = { authenticated: true, scopes: [...(req ? req.scopes : []), ...alternatives] };
    }
  }
  return req;
}

/** "Type.field" and "Type" -> requirement, read from the supergraph document. */
export function requirementsFromSupergraph(supergraphSdl: string): Map<string, Requirement> {
  const out = new Map<string, Requirement>();
  for (const def of parse(supergraphSdl).definitions) {
    if (def.kind !== Kind.OBJECT_TYPE_DEFINITION && def.kind !== Kind.OBJECT_TYPE_EXTENSION && def.kind !== Kind.INTERFACE_TYPE_DEFINITION) continue;
    const typeReq = requirementOf(def.directives);
    if (typeReq) out.set(def.name.value, typeReq);
    for (const field of def.fields ?? []) {
      const req = requirementOf(field.directives);
      if (req) out.set(`${def.name.value}.${field.name.value}`, req);
    }
  }
  return out;
}

/** The scopes a requirement lacks for this identity, or null when it is met. */
function missing(req: Requirement, identity: Identity | null): { code: string; scopes: string[] } | null {
  if (!identity) return { code: AuthorizationCode.UNAUTHENTICATED, scopes: req.scopes[0] ?? [] };
  if (!req.scopes.length) return null;
  let best: string[] | null = null;
  for (const alternative of req.scopes) {
    const lacking = alternative.filter((s) => !identity.scopes.includes(s));
    if (!lacking.length) return null;
    if (!best || lacking.length < best.length) best = lacking;
  }
  return { code: AuthorizationCode.FORBIDDEN, scopes: best ?? [] };
}

export class Authorizer {
  constructor(readonly requirements: Map<string, Requirement>) {}

  static fromSupergraph(sdl: string) {
    return new Authorizer(requirementsFromSupergraph(sdl));
  }

  /** What a field requires: its own directives and its return type's. */
  requirementFor(parentType: string, field: string, returnType: string): Requirement | null {
    const own = this.requirements.get(`${parentType}.${field}`);
    const ofType = this.requirements.get(returnType);
    if (!own && !ofType) return null;
    return { authenticated: true, scopes: [...(own?.scopes ?? []), ...(ofType?.scopes ?? [])].length ? combine(own, ofType) : [] };
  }

  /**
   * The document without the fields this identity may not see, and one error per denied field.
   * A selection set left empty selects __typename so the document stays valid.
   */
  restrict(schema: GraphQLSchema, document: DocumentNode, identity: Identity | null): { document: DocumentNode; denials: Map<string, Denial> } {
    const denials = new Map<string, Denial>();
    if (!this.requirements.size) return { document, denials };
    const typeInfo = new TypeInfo(schema);
    const stripped = visit(
      document,
      visitWithTypeInfo(typeInfo, {
        Field: () => {
          const parent = typeInfo.getParentType();
          const def = typeInfo.getFieldDef();
          if (!parent || !def) return undefined;
          const req = this.requirementFor(parent.name, def.name, getNamedType(def.type).name);
          const lack = req && missing(req, identity);
          if (!lack) return undefined;
          const coordinate = `${parent.name}.${def.name}`;
          if (!denials.has(coordinate)) {
            const message =
              lack.code === AuthorizationCode.UNAUTHENTICATED
                ? `${coordinate} requires an authenticated caller`
                : `${coordinate} requires the scope${lack.scopes.length > 1 ? "s" : ""} ${lack.scopes.join(", ")}, which the token does not have`;
            denials.set(coordinate, {
              coordinate,
              error: new GraphQLError(message, { extensions: { code: lack.code, field: coordinate, missingScopes: lack.scopes } }),
            });
          }
          return null;
        },
      }),
    );
    if (!denials.size) return { document, denials };
    const filled = visit(stripped, {
      SelectionSet: {
        leave: (node: SelectionSetNode) =>
          node.selections.length ? undefined : { ...node, selections: [{ kind: Kind.FIELD, name: { kind: Kind.NAME, value: "__typename" } }] },
      },
    });
    return { document: filled, denials };
  }
}

function combine(own: Requirement | undefined, ofType: Requirement | undefined): string[][] {
  // Both must be met: every alternative of one joined with every alternative of the other.
  const a = own?.scopes.length ? own.scopes : [[]];
  const b = ofType?.scopes.length ? ofType.scopes : [[]];
  return a.flatMap((x) => b.map((y) => [...new Set([...x, ...y])]));
}

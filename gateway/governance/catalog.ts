// The API catalog: every public type and field with the subgraph that owns it (from the
// supergraph's join directives), its description, its deprecation and the scopes it requires
// (from @authenticated/@requiresScopes). `npm run catalog` writes it as Markdown
// (docs/api-catalog.md, committed); the gateway serves it as a page at /catalog.
import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  isScalarType,
  Kind,
  parse,
  type DirectiveNode,
  type GraphQLNamedType,
} from "graphql";
import { apiSchemaOfSupergraph } from "./api-schema.js";
import { Authorizer, type Requirement } from "../security/authorize.js";

export interface CatalogField {
  name: string;
  type: string;
  owners: string[];
  description: string | null;
  deprecated: string | null;
  requires: string | null;
}
export interface CatalogType {
  name: string;
  kind: string;
  owners: string[];
  description: string | null;
  fields: CatalogField[];
}

const argValue = (d: DirectiveNode, name: string) => {
  const v = d.arguments?.find((a) => a.name.value === name)?.value;
  return v && (v.kind === Kind.ENUM || v.kind === Kind.STRING) ? v.value : v && v.kind === Kind.BOOLEAN ? String(v.value) : null;
};

/** Graph enum value -> subgraph name, and per type / field the graphs that resolve it. */
function ownership(supergraphSdl: string) {
  const graphs = new Map<string, string>();
  const types = new Map<string, string[]>();
  const fields = new Map<string, string[]>();
  for (const def of parse(supergraphSdl).definitions) {
    if (def.kind === Kind.ENUM_TYPE_DEFINITION && def.name.value === "join__Graph") {
      for (const v of def.values ?? []) {
        const d = v.directives?.find((x) => x.name.value === "join__graph");
        if (d) graphs.set(v.name.value, argValue(d, "name") ?? v.name.value);
      }
    }
    if (!("directives" in def) || !("name" in def) || !def.name) continue;
    const typeGraphs = (def.directives ?? []).filter((d) => d.name.value === "join__type").map((d) => argValue(d, "graph")!);
    if (typeGraphs.length) types.set(def.name.value, typeGraphs);
    if ("fields" in def && def.fields) {
      for (const f of def.fields) {
        const joins = (f.directives ?? []).filter((d) => d.name.value === "join__field" && argValue(d, "external") !== "true" && argValue(d, "graph"));
        if (joins.length)
          fields.set(
            `${def.name.value}.${f.name.value}`,
            joins.map((d) => argValue(d, "graph")!),
          );
      }
    }
  }
  const name = (g: string) => graphs.get(g) ?? g.toLowerCase();
  return {
    ofType: (t: string) => [...new Set((types.get(t) ?? []).map(name))].sort(),
    ofField: (t: string, f: string) => [...new Set((fields.get(`${t}.${f}`) ?? types.get(t) ?? []).map(name))].sort(),
  };
}

const describeRequirement = (r: Requirement | null) => (!r ? null : r.scopes.length ? r.scopes.map((alt) => alt.join(" + ")).join(" or ") : "authenticated");

export function buildCatalog(supergraphSdl: string): CatalogType[] {
  const schema = apiSchemaOfSupergraph(supergraphSdl);
  const owners = ownership(supergraphSdl);
  const authorizer = Authorizer.fromSupergraph(supergraphSdl);
  const kindOf = (t: GraphQLNamedType) =>
    isObjectType(t)
      ? "object"
      : isInterfaceType(t)
        ? "interface"
        : isEnumType(t)
          ? "enum"
          : isInputObjectType(t)
            ? "input"
            : isScalarType(t)
              ? "scalar"
              : "union";
  return Object.values(schema.getTypeMap())
    .filter((t) => !t.name.startsWith("__"))
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((t) => {
      const fields: CatalogField[] =
        isObjectType(t) || isInterfaceType(t)
          ? Object.values(t.getFields()).map((f) => ({
              name: f.args.length ? `${f.name}(${f.args.map((a) => `${a.name}: ${a.type}`).join(", ")})` : f.name,
              type: String(f.type),
              owners: owners.ofField(t.name, f.name),
              description: f.description ?? null,
              deprecated: f.deprecationReason ?? null,
              requires: describeRequirement(authorizer.requirementFor(t.name, f.name, getNamedType(f.type).name)),
            }))
          : isInputObjectType(t)
            ? Object.values(t.getFields()).map((f) => ({
                name: f.name,
                type: String(f.type),
                owners: [],
                description: f.description ?? null,
                deprecated: f.deprecationReason ?? null,
                requires: null,
              }))
            : isEnumType(t)
              ? t.getValues().map((v) => ({
                  name: v.name,
                  type: "",
                  owners: [],
                  description: v.description ?? null,
                  deprecated: v.deprecationReason ?? null,
                  requires: null,
                }))
              : [];
      return { name: t.name, kind: kindOf(t), owners: owners.ofType(t.name), description: t.description ?? null, fields };
    });
}

const cell = (s: string | null) => (s ?? "").replace(/\|/g, "\\|").replace(/\s*\n\s*/g, " ");

export function catalogMarkdown(catalog: CatalogType[]): string {
  const out = [
    "# API catalog",
    "",
    'Generated by `npm run catalog` from the composed supergraph (do not edit): every public type and field, the subgraph that resolves it, its description, its deprecation and the scopes it requires (`@authenticated` / `@requiresScopes` in the subgraph SDL; "a + b" means both, "or" either). The gateway serves the same at `/catalog`.',
    "",
  ];
  for (const t of catalog) {
    out.push(`## ${t.name} (${t.kind}${t.owners.length ? `, ${t.owners.join(", ")}` : ""})`, "");
    if (t.description) out.push(cell(t.description), "");
    if (!t.fields.length) continue;
    if (t.kind === "enum") {
      out.push("| Value | Description | Deprecated |", "|---|---|---|");
      for (const f of t.fields) out.push(`| \`${f.name}\` | ${cell(f.description)} | ${cell(f.deprecated)} |`);
    } else if (t.kind === "input") {
      out.push("| Field | Type | Description | Deprecated |", "|---|---|---|---|");
      for (const f of t.fields) out.push(`| \`${f.name}\` | \`${f.type}\` | ${cell(f.description)} | ${cell(f.deprecated)} |`);
    } else {
      out.push("| Field | Type | Owner | Requires | Description | Deprecated |", "|---|---|---|---|---|---|");
      for (const f of t.fields)
        out.push(`| \`${cell(f.name)}\` | \`${f.type}\` | ${f.owners.join(", ")} | ${cell(f.requires)} | ${cell(f.description)} | ${cell(f.deprecated)} |`);
    }
    out.push("");
  }
  return out.join("\n");
}

const esc = (s: string | null) => (s ?? "").replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

export function catalogHtml(catalog: CatalogType[]): string {
  const rows = catalog
    .map((t) => {
      const head = `<h2 id="${esc(t.name)}">${esc(t.name)} <small>${esc(t.kind)}${t.owners.length ? ` · ${esc(t.owners.join(", "))}` : ""}</small></h2>${t.description ? `<p>${esc(t.description)}</p>` : ""}`;
      if (!t.fields.length) return head;
      const body = t.fields
        .map(
          (f) =>
            `<tr${f.deprecated ? ' class="deprecated"' : ""}><td><code>${esc(f.name)}</code></td><td><code>${esc(f.type)}</code></td><td>${esc(f.owners.join(", "))}</td><td>${esc(f.requires)}</td><td>${esc(f.description)}</td><td>${esc(f.deprecated)}</td></tr>`,
        )
        .join("");
      return `${head}<table><thead><tr><th>Field</th><th>Type</th><th>Owner</th><th>Requires</th><th>Description</th><th>Deprecated</th></tr></thead><tbody>${body}</tbody></table>`;
    })
    .join("\n");
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>API catalog</title><style>
body{font:14px system-ui,sans-serif;margin:2rem;max-width:1200px}table{border-collapse:collapse;width:100%;margin-bottom:1rem}td,th{border:1px solid #ddd;padding:4px 6px;text-align:left;vertical-align:top}small{color:#666;font-weight:normal}.deprecated{color:#999;text-decoration:line-through}
</style></head><body><h1>API catalog</h1><p>Every public type and field: the subgraph that resolves it, the scopes it requires, its description and deprecation.</p>${rows}</body></html>`;
}

/** GET /catalog: the catalog as a page (built once, on first request). Off with introspection. */
export function mountCatalog(app: import("express").Express, supergraphSdl: string) {
  let html: string | null = null;
  app.get("/catalog", (_req, res) => {
    html ??= catalogHtml(buildCatalog(supergraphSdl));
    res.type("html").setHeader("cache-control", "no-cache").send(html);
  });
}

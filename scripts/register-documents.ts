// `npm run documents:register -- <.graphql files or folders>`: registers a client's operations for
// the gateway's trusted-documents mode (TRUSTED_DOCUMENTS=enforce). Each operation, with the
// fragments it uses, is printed by graphql-js, hashed (SHA-256, the id Apollo Client's persisted
// queries send) and merged into the manifest (TRUSTED_DOCUMENTS_FILE, default
// trusted-documents.json). Every document is validated against the composed supergraph first: an
// operation that would not run is not registered.
import fs from "node:fs";
import path from "node:path";
import { Kind, parse, print, validate, visit, type DefinitionNode, type FragmentDefinitionNode, type OperationDefinitionNode } from "graphql";
import { documentHash, readManifest, type ManifestOperation } from "../gateway/security/trusted-documents.js";
import { composeOwnApiSchema } from "../app/supergraph.js";

function graphqlFiles(target: string): string[] {
  const stat = fs.statSync(target);
  if (stat.isFile()) return [target];
  return fs
    .readdirSync(target, { withFileTypes: true })
    .flatMap((e) =>
      e.name === "node_modules"
        ? []
        : e.isDirectory()
          ? graphqlFiles(path.join(target, e.name))
          : e.name.endsWith(".graphql") || e.name.endsWith(".gql")
            ? [path.join(target, e.name)]
            : [],
    );
}

/** Each operation of the files with the fragments it uses (transitively), as one document text. */
export function operationsOf(texts: string[]): { name: string; type: string; body: string }[] {
  const definitions: DefinitionNode[] = texts.flatMap((t) => parse(t).definitions);
  const fragments = new Map(definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((f) => [f.name.value, f]));
  return definitions
    .filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)
    .map((op) => {
      const used = new Set<string>();
      const collect = (node: DefinitionNode) =>
        visit(node, {
          FragmentSpread: (s) => {
            if (used.has(s.name.value) || !fragments.has(s.name.value)) return;
            used.add(s.name.value);
            collect(fragments.get(s.name.value)!);
          },
        });
      collect(op);
      const doc = { kind: Kind.DOCUMENT, definitions: [op, ...[...used].sort().map((n) => fragments.get(n)!)] } as const;
      if (!op.name) throw new Error("every registered operation needs a name");
      return { name: op.name.value, type: op.operation, body: print(doc) };
    });
}

function main() {
  const targets = process.argv.slice(2);
  if (!targets.length) {
    console.error("usage: npm run documents:register -- <file.graphql or folder> [...]");
    process.exit(2);
  }
  const file = process.env.TRUSTED_DOCUMENTS_FILE || "trusted-documents.json";
  const schema = composeOwnApiSchema();
  const files = targets.flatMap(graphqlFiles);
  const operations = operationsOf(files.map((f) => fs.readFileSync(f, "utf8")));
  for (const op of operations) {
    const errors = validate(schema, parse(op.body));
    if (errors.length) throw new Error(`operation ${op.name} does not validate against the supergraph: ${errors.map((e) => e.message).join("; ")}`);
  }
  const manifest = readManifest(file);
  const byId = new Map<string, ManifestOperation>(manifest.operations.map((o) => [o.id, o]));
  let added = 0;
  for (const op of operations) {
    const id = documentHash(op.body);
    if (!byId.has(id)) added++;
    byId.set(id, { id, ...op });
  }
  fs.writeFileSync(
    file,
    JSON.stringify(
      {
        format: "apollo-persisted-query-manifest",
        version: 1,
        operations: [...byId.values()].sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id)),
      },
      null,
      2,
    ) + "\n",
  );
  console.log(`${operations.length} operation(s) from ${files.length} file(s); ${added} new; ${byId.size} registered in ${file}`);
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith("register-documents.ts")) main();

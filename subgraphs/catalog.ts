// The four domain subgraphs by name, with their SDL. The gateway composes these; scripts and
// tests use the names. Adding a subgraph means adding it here.
import fs from "node:fs";
import { parse, type DocumentNode } from "graphql";
import { projectPath } from "../platform/project-root.js";

export const subgraphNames = ["orders", "inventory", "erp-finance", "shipments", "operations"] as const;
export type SubgraphName = (typeof subgraphNames)[number];

export function subgraphSdl(name: SubgraphName): string {
  return fs.readFileSync(projectPath("subgraphs", name, "schema.graphql"), "utf8");
}

export function subgraphTypeDefs(name: SubgraphName): DocumentNode {
  return parse(subgraphSdl(name));
}

export function isSubgraphName(value: string): value is SubgraphName {
  return (subgraphNames as readonly string[]).includes(value);
}

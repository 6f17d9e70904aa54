// The three gateway queries of issue 12 (item 1's table), as load bodies: the unified order view,
// the nested page of 50 orders (both from examples/) and the simple order query one subgraph answers.
import fs from "node:fs";
import { generateDemoData } from "../demo/generate.js";
import { projectPath } from "../platform/project-root.js";

export const example = (f: string) => fs.readFileSync(projectPath("examples", f), "utf8");
export const SIMPLE_ORDER_QUERY = `query($id: ID!) { order(id: $id) { id status lines { lineNumber quantityOrdered } } }`;

export interface GatewayScenario {
  name: string;
  /** The i-th request's body, ids rotating over the demo orders that have shipments and invoices. */
  body: (i: number) => object;
}

export function gatewayScenarios(): { orderView: GatewayScenario; page: GatewayScenario; simple: GatewayScenario } {
  const orderIds = generateDemoData()
    .orders.filter((o) => o.status === "INVOICED" || o.status === "SHIPPED")
    .map((o) => o.id);
  const byId = (query: string) => (i: number) => ({ query, variables: { id: orderIds[i % orderIds.length] } });
  const pageQuery = example("orders-page.graphql");
  return {
    orderView: { name: "unified order view", body: byId(example("unified-order-view.graphql")) },
    page: { name: "orders(first: 50) nested", body: () => ({ query: pageQuery, variables: { first: 50 } }) },
    simple: { name: "order(id) simple", body: byId(SIMPLE_ORDER_QUERY) },
  };
}

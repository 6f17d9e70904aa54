// What each subgraph's outage may take from an answer, and what it must leave: for every subgraph,
// queries rooted in the others that reach into it. The parent object survives; the fields the
// failing subgraph resolves are null, with an error. Shared by the embedded and distributed tests.
import { expect } from "vitest";
import type { DemoData } from "../../demo/generate.js";
import type { SubgraphName } from "../../subgraphs/catalog.js";
import { gql, type GraphQLResponse } from "./graphql.js";

export interface OutageCase {
  /** The subgraph that fails. */
  down: SubgraphName;
  query: string;
  variables: Record<string, unknown>;
  /** What the answer must still hold, and what must be null. */
  check(data: any): void;
}

export function outageCases(demo: DemoData): OutageCase[] {
  const order = demo.orders.find(
    (o) => o.status === "INVOICED" && demo.shipments.some((s) => s.orderId === o.id) && demo.invoices.some((i) => i.orderId === o.id),
  )!;
  const shipment = demo.shipments.find((s) => s.orderId === order.id)!;
  const invoice = demo.invoices.find((i) => i.orderId === order.id)!;
  const lines = demo.orderLines.filter((l) => l.orderId === order.id);
  const sku = lines[0].sku;
  return [
    {
      down: "shipments",
      // The query from the defect report: the order and its status survive without its shipments.
      query: `query($id: ID!, $inv: ID!) { order(id: $id) { id status shipments { id } invoices { id } } invoice(id: $inv) { id shipment { id status } } }`,
      variables: { id: order.id, inv: invoice.id },
      check: (d) => {
        expect(d.order).toMatchObject({ id: order.id, status: order.status, shipments: null });
        expect(d.order.invoices.length).toBeGreaterThan(0);
        expect(d.invoice).toEqual({ id: invoice.id, shipment: null });
      },
    },
    {
      down: "erp-finance",
      query: `query($id: ID!, $s: ID!) { order(id: $id) { id status customer { id name } businessUnit { name } invoices { id } shipments { id } }
        shipment(id: $s) { id status invoice { id } } }`,
      variables: { id: order.id, s: shipment.id },
      check: (d) => {
        expect(d.order).toMatchObject({ id: order.id, status: order.status, customer: null, businessUnit: null, invoices: null });
        expect(d.order.shipments.length).toBeGreaterThan(0);
        expect(d.shipment).toMatchObject({ id: shipment.id, invoice: null });
      },
    },
    {
      down: "inventory",
      query: `query($id: ID!, $s: ID!, $inv: ID!) { order(id: $id) { id lines { sku product { description } } }
        shipment(id: $s) { id status shipFrom { name } lines { sku product { description } } }
        invoice(id: $inv) { id lines { sku product { description } } } }`,
      variables: { id: order.id, s: shipment.id, inv: invoice.id },
      check: (d) => {
        expect(d.order.lines).toHaveLength(lines.length);
        expect(d.order.lines).toContainEqual({ sku, product: null });
        for (const l of d.order.lines) expect(l.product).toBeNull();
        expect(d.shipment).toMatchObject({ id: shipment.id, status: expect.any(String), shipFrom: null });
        for (const l of d.shipment.lines) expect(l.product).toBeNull();
        expect(d.invoice.lines.length).toBeGreaterThan(0);
        for (const l of d.invoice.lines) expect(l).toEqual({ sku: expect.any(String), product: null });
      },
    },
    {
      down: "orders",
      query: `query($c: ID!, $s: ID!, $inv: ID!, $sku: String!) { customer(id: $c) { id name orders(first: 1) { totalCount } }
        shipment(id: $s) { id status order { status } } invoice(id: $inv) { id total order { status } }
        product(sku: $sku) { sku description openDemand } }`,
      variables: { c: order.customerId, s: shipment.id, inv: invoice.id, sku },
      check: (d) => {
        expect(d.customer).toMatchObject({ id: order.customerId, name: expect.any(String), orders: null });
        expect(d.shipment).toMatchObject({ id: shipment.id, order: null });
        expect(d.invoice).toMatchObject({ id: invoice.id, total: expect.any(String), order: null });
        expect(d.product).toMatchObject({ sku, description: expect.any(String), openDemand: null });
      },
    },
  ];
}

/** Runs a case and checks its data; returns the errors for the caller's own expectations. */
export async function expectSurvivors(url: string, c: OutageCase): Promise<NonNullable<GraphQLResponse["errors"]>> {
  const res = await gql(url, c.query, c.variables);
  expect(res.status).toBe(200);
  expect(res.data, JSON.stringify(res.errors)).toBeTruthy();
  c.check(res.data);
  expect(res.errors?.length).toBeGreaterThan(0);
  return res.errors!;
}

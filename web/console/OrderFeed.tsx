// Order status changes as they happen (Subscription.orderStatusChanged through the gateway),
// newest first: which order, from which status to which, who changed it and why.
import { useCallback, useState } from "react";
import type { Client } from "graphql-ws";
import { useLiveFeed } from "./live-feed";
import { time } from "./format";
import { FeedStatus } from "./FeedStatus";

const KEEP = 100;

const ORDER_SUBSCRIPTION = /* GraphQL */ `
  subscription ConsoleOrders($since: String) {
    orderStatusChanged(since: $since) {
      sequence
      occurredAt
      previousStatus
      newStatus
      source
      reason
      order {
        id
        channel
        customer {
          name
        }
      }
    }
  }
`;

interface OrderEvent {
  sequence: string;
  occurredAt: string;
  previousStatus: string | null;
  newStatus: string;
  source: string;
  reason: string | null;
  order: { id: string; channel: string; customer: { name: string } | null } | null;
}

const problem = new Set(["CREDIT_HOLD", "PRICE_HOLD", "BACKORDERED", "CANCELLED", "REJECTED"]);

export function OrderFeed({ client }: { client: Client | null }) {
  const [events, setEvents] = useState<OrderEvent[]>([]);
  const onEvent = useCallback((e: OrderEvent) => setEvents((list) => [e, ...list.filter((x) => x.sequence !== e.sequence)].slice(0, KEEP)), []);
  const state = useLiveFeed<OrderEvent>(client, "orderStatusChanged", ORDER_SUBSCRIPTION, {}, onEvent);
  return (
    <section className="panel feed" data-testid="order-feed">
      <header>
        <h2>Order status</h2>
        <FeedStatus state={state} />
      </header>
      {events.length === 0 ? (
        <p className="muted">Waiting for order status changes…</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th>Time</th>
              <th>Order</th>
              <th>Customer</th>
              <th>Channel</th>
              <th>Status</th>
              <th>Source</th>
              <th>Reason</th>
            </tr>
          </thead>
          <tbody>
            {events.map((e) => (
              <tr key={e.sequence} data-testid="order-row" data-order={e.order?.id ?? ""} data-status={e.newStatus}>
                <td>{time(e.occurredAt)}</td>
                <td>{e.order?.id ?? "?"}</td>
                <td>{e.order?.customer?.name ?? ""}</td>
                <td>{e.order?.channel ?? ""}</td>
                <td>
                  {e.previousStatus ? `${e.previousStatus} → ` : ""}
                  <span className={problem.has(e.newStatus) ? "down" : undefined}>{e.newStatus}</span>
                </td>
                <td>{e.source}</td>
                <td>{e.reason ?? ""}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

// Stock changes as they happen (Subscription.inventoryChanged through the gateway), newest first:
// what moved, where, why, and the on-hand and available quantities before and after.
import { useCallback, useState } from "react";
import type { Client } from "graphql-ws";
import { useLiveFeed } from "./live-feed";
import { time } from "./format";
import { FeedStatus } from "./FeedStatus";

const KEEP = 100;

const STOCK_SUBSCRIPTION = /* GraphQL */ `
  subscription ConsoleStock($sku: String, $belowAvailable: Int, $since: String) {
    inventoryChanged(sku: $sku, belowAvailable: $belowAvailable, since: $since) {
      sequence
      occurredAt
      reason
      before {
        onHand
        available
      }
      after {
        onHand
        available
      }
      position {
        sku
        locationId
        location {
          name
        }
        product {
          description
        }
      }
    }
  }
`;

interface StockEvent {
  sequence: string;
  occurredAt: string;
  reason: string;
  before: { onHand: number; available: number };
  after: { onHand: number; available: number };
  position: { sku: string; locationId: string; location: { name: string } | null; product: { description: string } | null } | null;
}

export function StockTicker({ client }: { client: Client | null }) {
  const [events, setEvents] = useState<StockEvent[]>([]);
  const [sku, setSku] = useState("");
  const [below, setBelow] = useState("");
  const variables = { sku: sku.trim() || null, belowAvailable: below.trim() === "" ? null : Number(below) };
  const onEvent = useCallback((e: StockEvent) => setEvents((list) => [e, ...list.filter((x) => x.sequence !== e.sequence)].slice(0, KEEP)), []);
  const state = useLiveFeed<StockEvent>(client, "inventoryChanged", STOCK_SUBSCRIPTION, variables, onEvent);
  return (
    <section className="panel feed" data-testid="stock-ticker">
      <header>
        <h2>Stock ticker</h2>
        <FeedStatus state={state} />
        <input aria-label="Only this SKU" placeholder="SKU" value={sku} onChange={(e) => setSku(e.target.value)} size={12} />
        <input
          aria-label="Only when available falls below"
          placeholder="available <"
          inputMode="numeric"
          value={below}
          onChange={(e) => setBelow(e.target.value.replace(/\D/g, ""))}
          size={8}
        />
      </header>
      {events.length === 0 ? (
        <p className="muted">Waiting for stock changes…</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th>Time</th>
              <th>SKU</th>
              <th>Location</th>
              <th>Reason</th>
              <th className="num">On hand</th>
              <th className="num">Available</th>
            </tr>
          </thead>
          <tbody>
            {events.map((e) => {
              const delta = e.after.onHand - e.before.onHand;
              return (
                <tr
                  key={e.sequence}
                  data-testid="stock-row"
                  data-sequence={e.sequence}
                  data-sku={e.position?.sku ?? ""}
                  data-location={e.position?.locationId ?? ""}
                  data-on-hand={e.after.onHand}
                  data-available={e.after.available}
                >
                  <td>{time(e.occurredAt)}</td>
                  <td title={e.position?.product?.description ?? undefined}>{e.position?.sku ?? "?"}</td>
                  <td>{e.position?.location?.name ?? e.position?.locationId ?? "?"}</td>
                  <td>{e.reason}</td>
                  <td className="num">
                    {e.after.onHand}{" "}
                    <span className={delta < 0 ? "down" : "up"}>
                      ({delta >= 0 ? "+" : ""}
                      {delta})
                    </span>
                  </td>
                  <td className="num">{e.after.available}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}

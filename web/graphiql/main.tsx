// GraphiQL for the gateway, bundled with its editor and workers (no CDN). Queries and mutations go
// over HTTP POST to the endpoint this page was opened from; subscriptions over graphql-ws on the
// same path, so `subscription { inventoryChanged { … } }` streams into the result pane.
import "graphiql/setup-workers/vite";
import "graphiql/style.css";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { GraphiQL } from "graphiql";
import { createGraphiQLFetcher } from "@graphiql/toolkit";
import { createClient } from "graphql-ws";
import { endpointFor } from "./endpoint";

const { http, ws } = endpointFor(window.location);

// The gateway wants a bearer token. `npm start` prints a link ending in #token=<jwt>: the token is
// put in GraphiQL's Headers tab (kept across reloads: shouldPersistHeaders) (fragments never reach the server or its logs) and removed from
// the address bar. Subscriptions send the same authorization header in connection_init.
const HEADERS_KEY = "graphiql:headers";
const linked = new URLSearchParams(window.location.hash.slice(1)).get("token");
if (linked) {
  localStorage.setItem(HEADERS_KEY, JSON.stringify({ authorization: `Bearer ${linked}` }, null, 2));
  history.replaceState(null, "", window.location.pathname + window.location.search);
}
const storedAuthorization = (): string | undefined => {
  try {
    const headers = JSON.parse(localStorage.getItem(HEADERS_KEY) ?? "{}") as Record<string, string>;
    return headers.authorization ?? headers.Authorization;
  } catch {
    return undefined;
  }
};

const fetcher = createGraphiQLFetcher({
  url: http,
  // Our own client rather than a URL, so reconnects are quiet and lazy (opened on first subscription).
  wsClient: createClient({
    url: ws,
    lazy: true,
    retryAttempts: 3,
    connectionParams: () => {
      const authorization = storedAuthorization();
      return authorization ? { authorization } : {};
    },
  }),
});

const defaultQuery = `# The unified order view: one request, four subgraphs.
query OrderView($id: ID! = "ORD-000003") {
  order(id: $id) {
    id status placedAt totalAmount currency
    lines { lineNumber quantityOrdered product { sku description availableQuantity } }
    shipments { id status trackingNumber }
    invoices { id status total }
  }
}

# Stock changes as they happen (run it, then post a WMS event to /ingest/wms/inventory).
subscription StockDashboard {
  inventoryChanged(belowAvailable: 50) {
    sequence occurredAt reason
    after { available onHand }
    position { sku location { name } product { description } }
  }
}
`;

createRoot(document.getElementById("graphiql")!).render(
  <StrictMode>
    <GraphiQL
      fetcher={fetcher}
      defaultQuery={defaultQuery}
      defaultEditorToolsVisibility={linked ? "headers" : "variables"}
      defaultHeaders={linked ? JSON.stringify({ authorization: `Bearer ${linked}` }, null, 2) : undefined}
      shouldPersistHeaders
    />
  </StrictMode>,
);

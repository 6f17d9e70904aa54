// The live operations console: KPI tiles and charts, a stock ticker and an order status feed over
// the gateway's own subscriptions, the exception queue and the trace view. Everything it shows
// comes from the gateway's /graphql with the operator's bearer token (see token.ts).
import { StrictMode, useCallback, useEffect, useMemo, useState, type FormEvent } from "react";
import { createRoot } from "react-dom/client";
import "./console.css";
import { adoptLinkedToken, forgetToken, saveToken, storedAuthorization } from "./token";
import { createLiveClient } from "./client";
import type { Client } from "graphql-ws";
import { pinnedWindow } from "./kpi-window";
import { KpiPanel } from "./KpiPanel";
import { StockTicker } from "./StockTicker";
import { OrderFeed } from "./OrderFeed";
import { ExceptionQueue } from "./ExceptionQueue";
import { TraceView } from "./TraceView";

adoptLinkedToken();

function TokenForm({ rejected, onToken }: { rejected: boolean; onToken: (token: string) => void }) {
  const [value, setValue] = useState("");
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (value.trim()) onToken(value);
  };
  return (
    <form className="panel token" onSubmit={submit} data-testid="token-form">
      <h2>{rejected ? "The gateway refused the token" : "A bearer token is needed"}</h2>
      <p>
        Every request to the graph needs a token holding the <code>operations:read</code> scope (and <code>operations:write</code> to retry or resolve
        exceptions, <code>inventory:read</code> and <code>orders:read</code> for the live feeds). <code>npm start</code> prints a console link with a
        development token; <code>npm run token</code> signs one.
      </p>
      <textarea aria-label="Bearer token" rows={3} value={value} onChange={(e) => setValue(e.target.value)} placeholder="eyJhbGciOi…" />
      <button type="submit">Use this token</button>
    </form>
  );
}

function Console() {
  const [authorization, setAuthorization] = useState<string | null>(() => storedAuthorization());
  const [rejected, setRejected] = useState(false);
  const [socket, setSocket] = useState<"connecting" | "connected" | "closed">("connecting");
  const pinned = useMemo(() => pinnedWindow(window.location.search), []);
  // The transaction shown in the trace view: ?trace=<id> opens the page on it (a link to share).
  const [traceId, setTraceId] = useState(() => new URLSearchParams(window.location.search).get("trace") ?? "");
  const showTrace = useCallback((id: string) => {
    setTraceId(id);
    document.getElementById("trace")?.scrollIntoView({ behavior: "smooth" });
  }, []);
  // One socket per token, made and disposed by an effect (so React's strict-mode double mount
  // cannot leave the feeds on a disposed client).
  const [client, setClient] = useState<Client | null>(null);
  useEffect(() => {
    if (!authorization) return;
    const live = createLiveClient(authorization, setSocket);
    setClient(live);
    return () => {
      setClient(null);
      void live.dispose();
    };
  }, [authorization]);

  const onUnauthenticated = useCallback(() => {
    forgetToken();
    setRejected(true);
    setAuthorization(null);
  }, []);
  const changeToken = () => {
    forgetToken();
    setRejected(false);
    setAuthorization(null);
  };

  if (!authorization) {
    return (
      <main>
        <h1>Operations console</h1>
        <TokenForm
          rejected={rejected}
          onToken={(token) => {
            saveToken(token);
            setRejected(false);
            setAuthorization(storedAuthorization());
          }}
        />
      </main>
    );
  }
  return (
    <main>
      <header className="top">
        <h1>Operations console</h1>
        <span className={`badge ${socket === "connected" ? "live" : "retrying"}`} data-testid="socket-status" data-status={socket}>
          {socket === "connected" ? "subscriptions connected" : socket === "connecting" ? "connecting…" : "subscriptions disconnected"}
        </span>
        <a href="/graphql">GraphiQL</a>
        <button type="button" onClick={changeToken}>
          Change token
        </button>
      </header>
      <KpiPanel authorization={authorization} pinned={pinned} onUnauthenticated={onUnauthenticated} />
      <div className="columns">
        <StockTicker client={client} />
        <OrderFeed client={client} />
      </div>
      <ExceptionQueue authorization={authorization} onUnauthenticated={onUnauthenticated} onTrace={showTrace} />
      <TraceView authorization={authorization} correlationId={traceId} onChange={setTraceId} onUnauthenticated={onUnauthenticated} />
    </main>
  );
}

createRoot(document.getElementById("console")!).render(
  <StrictMode>
    <Console />
  </StrictMode>,
);

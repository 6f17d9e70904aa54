// The exception queue (Query.exceptions): what failed across the domains (dead letters, parked
// events, failed ERP postings, conflicts, failed deliveries), newest first, with the actions an
// operator takes: retry (replay the message, run the consumer, post again, deliver again), resolve
// with a note, discard with a note. A row leaves the list when it no longer matches the filter.
import { useCallback, useEffect, useRef, useState } from "react";
import { request, OperationError } from "./client";
import { dateTime } from "./format";

const PAGE = 25;
const REFRESH_MS = 15_000;
const kinds = ["DEAD_LETTER", "PARKED_EVENT", "FAILED_POSTING", "CONFLICT", "FAILED_DELIVERY"] as const;
const states = ["OPEN", "RESOLVED", "DISCARDED"] as const;
const domains = ["operations", "erp-finance", "shipments"] as const;
/** Kinds whose retry hands the work back to a worker: the answer is OPEN until the worker succeeds. */
const queued = new Set(["FAILED_POSTING", "FAILED_DELIVERY"]);

const FIELDS = "id domain source kind state reason correlationId raisedAt resolvedAt resolutionNote rawPayload";
const LIST = /* GraphQL */ `
  query ConsoleExceptions($filter: ExceptionFilter, $first: Int, $after: String) {
    exceptions(filter: $filter, first: $first, after: $after) {
      totalCount
      unavailableDomains
      pageInfo { hasNextPage endCursor }
      nodes { ${FIELDS} }
    }
  }
`;
const RETRY = `mutation ConsoleRetry($id: ID!) { retryException(id: $id) { ${FIELDS} } }`;
const RESOLVE = `mutation ConsoleResolve($id: ID!, $note: String!) { resolveException(id: $id, note: $note) { ${FIELDS} } }`;
const DISCARD = `mutation ConsoleDiscard($id: ID!, $note: String!) { discardException(id: $id, note: $note) { ${FIELDS} } }`;

export interface ExceptionRow {
  id: string;
  domain: string;
  source: string | null;
  kind: string;
  state: string;
  reason: string;
  correlationId: string | null;
  raisedAt: string;
  resolvedAt: string | null;
  resolutionNote: string | null;
  rawPayload: string | null;
}
interface Page {
  totalCount: number;
  unavailableDomains: string[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  nodes: ExceptionRow[];
}

type Filter = { state: string; kind: string; domain: string };
const filterVariables = (f: Filter) => ({
  ...(f.state ? { state: [f.state] } : {}),
  ...(f.kind ? { kind: [f.kind] } : {}),
  ...(f.domain ? { domain: [f.domain] } : {}),
});

export function ExceptionQueue({
  authorization,
  onUnauthenticated,
  onTrace,
}: {
  authorization: string;
  onUnauthenticated: () => void;
  onTrace?: (correlationId: string) => void;
}) {
  const [filter, setFilter] = useState<Filter>({ state: "OPEN", kind: "", domain: "" });
  const [page, setPage] = useState<Page | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  /** The row whose resolve or discard note is being written. */
  const [noting, setNoting] = useState<{ id: string; action: "resolve" | "discard"; note: string } | null>(null);

  const fail = useCallback(
    (err: unknown) => {
      if (err instanceof OperationError && err.unauthenticated) onUnauthenticated();
      setError(err instanceof Error ? err.message : String(err));
    },
    [onUnauthenticated],
  );

  // Reloads as many rows as are shown (at least a page), so a refresh keeps what "More" added.
  const load = useCallback(
    async (first = PAGE) => {
      try {
        const { exceptions } = await request<{ exceptions: Page }>(authorization, LIST, { filter: filterVariables(filter), first });
        setPage(exceptions);
        setError(null);
      } catch (err) {
        fail(err);
      }
    },
    [authorization, filter, fail],
  );
  const shown = page?.nodes.length ?? 0;
  const shownRef = useRef(shown);
  shownRef.current = shown;
  useEffect(() => {
    void load();
    const timer = setInterval(() => void load(Math.max(PAGE, shownRef.current)), REFRESH_MS);
    return () => clearInterval(timer);
  }, [load]);

  const more = async () => {
    if (!page?.pageInfo.endCursor) return;
    try {
      const { exceptions } = await request<{ exceptions: Page }>(authorization, LIST, {
        filter: filterVariables(filter),
        first: PAGE,
        after: page.pageInfo.endCursor,
      });
      setPage({ ...exceptions, nodes: [...page.nodes, ...exceptions.nodes] });
    } catch (err) {
      fail(err);
    }
  };

  const act = async (id: string, run: () => Promise<ExceptionRow>, done: (row: ExceptionRow) => string) => {
    setBusy(id);
    setNotice(null);
    try {
      const row = await run();
      setNotice(done(row));
      setNoting(null);
      setError(null);
      await load(Math.max(PAGE, shown));
    } catch (err) {
      fail(err);
    } finally {
      setBusy(null);
    }
  };
  const retry = (id: string) =>
    act(
      id,
      async () => (await request<{ retryException: ExceptionRow }>(authorization, RETRY, { id })).retryException,
      (row) =>
        row.state !== "OPEN"
          ? `${id} retried: ${row.state}${row.resolutionNote ? ` (${row.resolutionNote})` : ""}`
          : queued.has(row.kind)
            ? `${id} is back in line for its worker: it stays open until the posting or delivery succeeds`
            : `${id} failed again: ${row.reason}`,
    );
  const close = (id: string, action: "resolve" | "discard", note: string) =>
    act(
      id,
      async () =>
        action === "resolve"
          ? (await request<{ resolveException: ExceptionRow }>(authorization, RESOLVE, { id, note })).resolveException
          : (await request<{ discardException: ExceptionRow }>(authorization, DISCARD, { id, note })).discardException,
      (row) => `${id} ${row.state.toLowerCase()}: ${note}`,
    );

  const select = (key: keyof Filter, values: readonly string[], label: string) => (
    <select aria-label={label} value={filter[key]} onChange={(e) => setFilter({ ...filter, [key]: e.target.value })}>
      <option value="">{key === "state" ? "every state" : `every ${key}`}</option>
      {values.map((v) => (
        <option key={v} value={v}>
          {v}
        </option>
      ))}
    </select>
  );

  return (
    <section className="panel" data-testid="exceptions" data-total={page?.totalCount ?? ""}>
      <header>
        <h2>Exception queue</h2>
        <span className="muted">{page ? `${page.totalCount} matching` : "loading…"}</span>
        {select("state", states, "State")}
        {select("kind", kinds, "Kind")}
        {select("domain", domains, "Domain")}
        <button type="button" onClick={() => void load(Math.max(PAGE, shown))}>
          Refresh
        </button>
      </header>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {notice && (
        <p className="notice" role="status" data-testid="exception-notice">
          {notice}
        </p>
      )}
      {page && page.unavailableDomains.length > 0 && <p className="error">Not answering, their exceptions are missing: {page.unavailableDomains.join(", ")}</p>}
      {page && page.nodes.length === 0 && <p className="muted">Nothing matches: the queue is clear.</p>}
      {page && page.nodes.length > 0 && (
        <table>
          <thead>
            <tr>
              <th>Raised</th>
              <th>Kind</th>
              <th>Domain · source</th>
              <th>Reason</th>
              <th>Correlation id</th>
              <th>State</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {page.nodes.map((x) => (
              <tr key={x.id} data-testid="exception-row" data-id={x.id} data-state={x.state}>
                <td>{dateTime(x.raisedAt)}</td>
                <td>{x.kind}</td>
                <td>
                  {x.domain}
                  {x.source ? ` · ${x.source}` : ""}
                </td>
                <td className="reason">
                  {x.reason}
                  {x.rawPayload != null && (
                    <details>
                      <summary>payload</summary>
                      <pre>{x.rawPayload}</pre>
                    </details>
                  )}
                </td>
                <td>
                  {x.correlationId && onTrace ? (
                    <button type="button" className="link" onClick={() => onTrace(x.correlationId!)} title="Show its trace">
                      {x.correlationId}
                    </button>
                  ) : (
                    (x.correlationId ?? "")
                  )}
                </td>
                <td>
                  {x.state}
                  {x.resolvedAt && <div className="muted">{dateTime(x.resolvedAt)}</div>}
                  {x.resolutionNote && <div className="muted">{x.resolutionNote}</div>}
                </td>
                <td className="actions">
                  {x.state === "OPEN" && noting?.id !== x.id && (
                    <>
                      {x.kind !== "CONFLICT" && (
                        <button type="button" className="primary" disabled={busy === x.id} onClick={() => void retry(x.id)}>
                          {x.kind === "DEAD_LETTER" ? "Replay" : "Retry"}
                        </button>
                      )}
                      <button type="button" disabled={busy === x.id} onClick={() => setNoting({ id: x.id, action: "resolve", note: "" })}>
                        Resolve…
                      </button>
                      <button type="button" disabled={busy === x.id} onClick={() => setNoting({ id: x.id, action: "discard", note: "" })}>
                        Discard…
                      </button>
                    </>
                  )}
                  {noting?.id === x.id && (
                    <form
                      onSubmit={(e) => {
                        e.preventDefault();
                        if (noting.note.trim()) void close(x.id, noting.action, noting.note.trim());
                      }}
                    >
                      <input
                        aria-label={`Note to ${noting.action} ${x.id}`}
                        placeholder="note (required)"
                        value={noting.note}
                        onChange={(e) => setNoting({ ...noting, note: e.target.value })}
                        autoFocus
                      />
                      <button type="submit" className="primary" disabled={!noting.note.trim() || busy === x.id}>
                        {noting.action === "resolve" ? "Resolve" : "Discard"}
                      </button>
                      <button type="button" onClick={() => setNoting(null)}>
                        Cancel
                      </button>
                    </form>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {page?.pageInfo.hasNextPage && (
        <button type="button" onClick={() => void more()}>
          More
        </button>
      )}
    </section>
  );
}

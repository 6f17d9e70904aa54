// A transaction followed by its correlation id (Query.trace): every step each subgraph recorded
// (received, parsed, mapped, applied, events, consumers' handling, documents, postings, errors),
// in time order, with its offset from the first step and its duration.
import { useEffect, useState, type FormEvent } from "react";
import { request, OperationError } from "./client";
import { dateTime, duration } from "./format";

const TRACE = /* GraphQL */ `
  query ConsoleTrace($correlationId: String!) {
    trace(correlationId: $correlationId) {
      steps {
        at
        subgraph
        kind
        description
        durationMs
      }
    }
  }
`;

interface Step {
  at: string;
  subgraph: string;
  kind: string;
  description: string;
  durationMs: number | null;
}

export function TraceView({
  authorization,
  correlationId,
  onChange,
  onUnauthenticated,
}: {
  authorization: string;
  correlationId: string;
  onChange: (id: string) => void;
  onUnauthenticated: () => void;
}) {
  const [input, setInput] = useState(correlationId);
  const [steps, setSteps] = useState<Step[] | null>(null);
  const [unanswered, setUnanswered] = useState<string[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);

  useEffect(() => {
    setInput(correlationId);
    if (!correlationId) return setSteps(null);
    let current = true;
    setLoading(true);
    request<{ trace: { steps: Step[]; unansweredSubgraphs: string[] } | null }>(authorization, TRACE, { correlationId })
      .then(({ trace }) => {
        if (!current) return;
        // The gateway gives them in time order (causal order within a subgraph at one instant).
        setSteps(trace?.steps ?? []);
        setUnanswered(trace?.unansweredSubgraphs ?? []);
        setError(null);
      })
      .catch((err) => {
        if (!current) return;
        if (err instanceof OperationError && err.unauthenticated) onUnauthenticated();
        setError(err instanceof Error ? err.message : String(err));
        setSteps(null);
      })
      .finally(() => current && setLoading(false));
    return () => {
      current = false;
    };
  }, [authorization, correlationId, onUnauthenticated]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    onChange(input.trim());
  };
  const start = steps?.length ? Date.parse(steps[0].at) : 0;
  return (
    <section className="panel" id="trace" data-testid="trace" data-correlation-id={correlationId} data-steps={steps?.length ?? ""}>
      <header>
        <h2>Trace</h2>
        <form onSubmit={submit} className="inline">
          <input aria-label="Correlation id" placeholder="correlation id" value={input} onChange={(e) => setInput(e.target.value)} size={40} />
          <button type="submit" disabled={loading}>
            {loading ? "Loading…" : "Show"}
          </button>
        </form>
      </header>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {unanswered.length > 0 && <p className="error">Not answering, their steps are missing: {unanswered.join(", ")}</p>}
      {steps && steps.length === 0 && <p className="muted">Nothing carries the correlation id {correlationId}.</p>}
      {steps && steps.length > 0 && (
        <table>
          <thead>
            <tr>
              <th>At</th>
              <th className="num">+</th>
              <th>Subgraph</th>
              <th>Step</th>
              <th>What happened</th>
              <th className="num">Took</th>
            </tr>
          </thead>
          <tbody>
            {steps.map((s, i) => (
              <tr
                key={i}
                data-testid="trace-step"
                data-subgraph={s.subgraph}
                data-kind={s.kind}
                className={/error|fail|dead/i.test(s.kind) ? "down" : undefined}
              >
                <td>{dateTime(s.at)}</td>
                <td className="num">{duration((Date.parse(s.at) - start) / 1000)}</td>
                <td>{s.subgraph}</td>
                <td>{s.kind}</td>
                <td>{s.description}</td>
                <td className="num">{s.durationMs == null ? "" : duration(s.durationMs / 1000)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

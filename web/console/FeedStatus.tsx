import type { FeedState } from "./live-feed";

/** A live feed's state next to its title; the reason when it is reconnecting. */
export function FeedStatus({ state }: { state: FeedState }) {
  return (
    <span className={`badge ${state.status}`} title={state.error} data-testid="feed-status" data-status={state.status}>
      {state.status === "live" ? "live" : state.status === "connecting" ? "connecting…" : `reconnecting${state.error ? `: ${state.error}` : ""}`}
    </span>
  );
}

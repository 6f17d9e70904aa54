// A live feed from one subscription field, kept alive across connection losses: after an error or
// a closed socket it waits (1 s, doubling to 15 s) and subscribes again with since = the last
// event's sequence, so the gateway replays what was missed. Only when the gateway refuses a resumed
// subscription twice in a row (GraphQL errors: say the gap is older than it keeps) does the feed
// start afresh without since; a lost connection never drops it.
import { useEffect, useRef, useState } from "react";
import type { Client } from "graphql-ws";
import { describeErrors, type GraphQLErrorShape } from "./client";

export type FeedState = { status: "connecting" | "live" | "retrying"; error?: string };

export function useLiveFeed<T extends { sequence: string }>(
  client: Client | null,
  field: string,
  query: string,
  variables: Record<string, unknown>,
  onEvent: (event: T) => void,
): FeedState {
  const [state, setState] = useState<FeedState>({ status: "connecting" });
  const handler = useRef(onEvent);
  handler.current = onEvent;
  const key = JSON.stringify(variables);
  useEffect(() => {
    if (!client) return;
    let stopped = false;
    let since: string | null = null;
    let failures = 0;
    let refusals = 0;
    /** The current attempt; callbacks of an abandoned one are ignored. */
    let attempt = 0;
    let unsubscribe: (() => void) | null = null;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const vars = JSON.parse(key) as Record<string, unknown>;
    const retry = (error: string, refused: boolean) => {
      if (stopped) return;
      attempt++;
      unsubscribe?.();
      failures++;
      refusals = refused ? refusals + 1 : 0;
      if (refusals >= 2) since = null;
      setState({ status: "retrying", error });
      timer = setTimeout(subscribe, Math.min(15_000, 1000 * 2 ** Math.min(failures - 1, 4)));
    };
    const subscribe = () => {
      if (stopped) return;
      const mine = ++attempt;
      const current = () => mine === attempt && !stopped;
      unsubscribe = client.subscribe<Record<string, T>>(
        { query, variables: { ...vars, since } },
        {
          next: (result) => {
            if (!current()) return;
            const event = result.data?.[field];
            if (result.errors?.length && !event) return retry(describeErrors(result.errors as GraphQLErrorShape[]), true);
            if (!event) return;
            failures = 0;
            refusals = 0;
            since = event.sequence;
            setState({ status: "live" });
            handler.current(event);
          },
          error: (err) => current() && retry(errorText(err), Array.isArray(err)),
          complete: () => current() && retry("the gateway ended the subscription", false),
        },
      );
      // graphql-ws acknowledges nothing on a successful subscribe: the feed counts as live until
      // an error says otherwise (the page's connection badge shows the socket itself).
      setState({ status: "live" });
    };
    subscribe();
    return () => {
      stopped = true;
      clearTimeout(timer);
      unsubscribe?.();
    };
  }, [client, field, query, key]);
  return state;
}

function errorText(err: unknown): string {
  if (Array.isArray(err)) return describeErrors(err as GraphQLErrorShape[]);
  if (err instanceof Error) return err.message;
  // A CloseEvent: the gateway's close code and reason (4401/4403 for a refused token).
  const close = err as { code?: number; reason?: string };
  if (typeof close?.code === "number") return `connection closed (${close.code}${close.reason ? `: ${close.reason}` : ""})`;
  return String(err);
}

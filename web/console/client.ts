// The console's two channels to the gateway, both with the operator's bearer token: GraphQL over
// HTTP POST to /graphql for queries and mutations, graphql-ws on the same path for the live feeds
// (the token goes in connection_init, as the gateway expects).
import { createClient, type Client } from "graphql-ws";

export const graphqlUrl = () => `${window.location.origin}/graphql`;
const wsUrl = () => graphqlUrl().replace(/^http/, "ws");

export interface GraphQLErrorShape {
  message: string;
  path?: readonly (string | number)[];
  extensions?: { code?: string } & Record<string, unknown>;
}

/** An operation that failed: the HTTP status and the GraphQL errors, if any. */
export class OperationError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly errors: GraphQLErrorShape[] = [],
  ) {
    super(message);
  }
  get unauthenticated() {
    return this.status === 401 || this.errors.some((e) => e.extensions?.code === "UNAUTHENTICATED");
  }
}

export function describeErrors(errors: readonly GraphQLErrorShape[]): string {
  return errors.map((e) => `${e.extensions?.code ? `${e.extensions.code}: ` : ""}${e.message}${e.path ? ` (at ${e.path.join(".")})` : ""}`).join("; ");
}

export async function request<T>(authorization: string, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const res = await fetch(graphqlUrl(), {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/graphql-response+json, application/json", authorization },
    body: JSON.stringify({ query, variables }),
  });
  let body: { data?: T | null; errors?: GraphQLErrorShape[] };
  try {
    body = await res.json();
  } catch {
    throw new OperationError(`The gateway answered ${res.status} ${res.statusText} without a GraphQL body`, res.status);
  }
  if (body.errors?.length || !body.data)
    throw new OperationError(
      body.errors?.length ? describeErrors(body.errors) : `The gateway answered ${res.status} with no data`,
      res.status,
      body.errors ?? [],
    );
  return body.data;
}

/**
 * One WebSocket for every live feed of the page, opened on first use. It does not retry by itself:
 * each feed resubscribes from the last event it saw (the subscriptions' `since`), which a
 * client-level retry could not do, so no event is lost across a reconnect.
 */
export function createLiveClient(authorization: string, onState: (state: "connected" | "closed") => void): Client {
  // lazyCloseTimeout: a feed that resubscribes (new filter) does not cost a new socket.
  const client = createClient({ url: wsUrl(), lazy: true, lazyCloseTimeout: 3000, retryAttempts: 0, connectionParams: { authorization } });
  client.on("connected", () => onState("connected"));
  client.on("closed", () => onState("closed"));
  return client;
}

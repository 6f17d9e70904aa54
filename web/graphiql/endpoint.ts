// Where this page sends operations. The gateway serves GraphiQL as the landing page of its GraphQL
// path (a browser's GET /graphql), so the endpoint is the page's own path; opened anywhere else
// (the Vite dev server, /web/graphiql/), it is /graphql on the same host.
export function endpointFor(location: Pick<Location, "protocol" | "host" | "pathname">): { http: string; ws: string } {
  const path = location.pathname.startsWith("/web/") || location.pathname === "/" ? "/graphql" : location.pathname;
  const ws = location.protocol === "https:" ? "wss:" : "ws:";
  return { http: `${location.protocol}//${location.host}${path}`, ws: `${ws}//${location.host}${path}` };
}

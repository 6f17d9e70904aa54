// The bearer token the console sends, taken the way GraphiQL here takes it: `npm start` prints a
// link ending in #token=<jwt>; the page keeps it in localStorage and removes it from the address
// bar (a fragment never reaches the server or its logs). Without one of its own, the console uses
// the authorization GraphiQL stored in this browser, so one link serves both pages.
const TOKEN_KEY = "console:token";
const GRAPHIQL_HEADERS_KEY = "graphiql:headers";

/** Takes #token=… from the address (then removes it); returns whether one was there. */
export function adoptLinkedToken(location: Location = window.location, storage: Storage = localStorage): boolean {
  const linked = new URLSearchParams(location.hash.slice(1)).get("token");
  if (!linked) return false;
  storage.setItem(TOKEN_KEY, linked.trim());
  history.replaceState(null, "", location.pathname + location.search);
  return true;
}

/** The Authorization header value, or null when the operator has given no token yet. */
export function storedAuthorization(storage: Storage = localStorage): string | null {
  const own = storage.getItem(TOKEN_KEY);
  if (own) return `Bearer ${own}`;
  try {
    const headers = JSON.parse(storage.getItem(GRAPHIQL_HEADERS_KEY) ?? "{}") as Record<string, string>;
    return headers.authorization ?? headers.Authorization ?? null;
  } catch {
    return null;
  }
}

/** A pasted token, with or without the "Bearer " prefix. */
export function saveToken(token: string, storage: Storage = localStorage) {
  storage.setItem(TOKEN_KEY, token.trim().replace(/^bearer\s+/i, ""));
}

export function forgetToken(storage: Storage = localStorage) {
  storage.removeItem(TOKEN_KEY);
}

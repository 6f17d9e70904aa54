// A GraphQL-over-HTTP client for tests: POST application/json, as any client would, with the
// all-scopes test token unless the caller sends its own authorization ("" for none).
import { bearer } from "./auth.js";
export interface GraphQLResponse<T = any> {
  data?: T | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: { code?: string; [k: string]: unknown } }[];
}

export async function gql<T = any>(
  url: string,
  query: string,
  variables?: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<GraphQLResponse<T> & { status: number; headers: Headers }> {
  const res = await fetch(url, {
    method: "POST",
    headers: await withAuthorization({ "content-type": "application/json", ...headers }),
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as GraphQLResponse<T>;
  return { ...body, status: res.status, headers: res.headers };
}

/** Fails the test with the GraphQL errors when there are any. */
export async function gqlOk<T = any>(url: string, query: string, variables?: Record<string, unknown>): Promise<T> {
  const res = await gql<T>(url, query, variables);
  if (res.errors?.length) throw new Error(`GraphQL errors: ${JSON.stringify(res.errors, null, 2)}`);
  return res.data as T;
}

/** Adds the test token unless the headers carry an authorization already; an empty one is dropped. */
export async function withAuthorization(headers: Record<string, string>): Promise<Record<string, string>> {
  const key = Object.keys(headers).find((k) => k.toLowerCase() === "authorization");
  if (key === undefined) return { ...headers, authorization: await bearer() };
  if (headers[key] === "") {
    const { [key]: _, ...rest } = headers;
    return rest;
  }
  return headers;
}

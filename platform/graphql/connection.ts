// Relay-style connections with keyset pagination: the cursor holds the sort key of the last row,
// so pages stay stable while rows are inserted, and no OFFSET scan grows with the page number.
import { DomainError, ErrorCode } from "../errors.js";

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;

export interface EdgeModel<T> {
  cursor: string;
  node: T;
}
export interface ConnectionModel<T> {
  edges: EdgeModel<T>[];
  nodes: T[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  /** Called only when the client selects totalCount (the default resolver calls functions). */
  totalCount: () => Promise<number>;
}

export function pageSize(first: number | null | undefined): number {
  const n = first ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(n) || n < 1 || n > MAX_PAGE_SIZE) {
    throw new DomainError(ErrorCode.PAGE_SIZE_OUT_OF_RANGE, `Argument "first" must be between 1 and ${MAX_PAGE_SIZE}, got ${n}`, {
      argument: "first",
      max: MAX_PAGE_SIZE,
    });
  }
  return n;
}

/** A sort key: the id alone, or a timestamp then the id as tie-breaker. */
export type SortKey = [id: string] | [at: string, id: string];

export function encodeCursor(key: SortKey): string {
  return Buffer.from(JSON.stringify(key)).toString("base64url");
}

export function decodeCursor(cursor: string | null | undefined, arity: 1 | 2): SortKey | null {
  if (cursor == null) return null;
  try {
    const key = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (Array.isArray(key) && key.length === arity && key.every((k) => typeof k === "string")) {
      if (arity === 2 && Number.isNaN(Date.parse(key[0]))) throw new Error("bad date");
      return key as SortKey;
    }
  } catch {
    /* fall through to the error below */
  }
  throw new DomainError(ErrorCode.INVALID_CURSOR, `Argument "after" is not a cursor issued by this field: ${JSON.stringify(cursor)}`, {
    argument: "after",
  });
}

/** Prisma where-clause for rows after the cursor, descending by (field, id) or ascending by id. */
export function afterCursorWhere(key: SortKey | null, field: string | null, direction: "asc" | "desc"): Record<string, unknown> {
  if (!key) return {};
  const op = direction === "desc" ? "lt" : "gt";
  if (key.length === 1 || !field) return { id: { [op]: key[0] } };
  const at = new Date(key[0]);
  return { OR: [{ [field]: { [op]: at } }, { [field]: at, id: { [op]: key[1] } }] };
}

export function buildConnection<T>(rows: T[], limit: number, keyOf: (row: T) => SortKey, count: () => Promise<number>): ConnectionModel<T> {
  const nodes = rows.slice(0, limit);
  const edges = nodes.map((node) => ({ cursor: encodeCursor(keyOf(node)), node }));
  let counted: Promise<number> | null = null;
  return {
    edges,
    nodes,
    pageInfo: { hasNextPage: rows.length > limit, endCursor: edges.at(-1)?.cursor ?? null },
    totalCount: () => (counted ??= count()),
  };
}

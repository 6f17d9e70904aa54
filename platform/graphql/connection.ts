// Relay-style connections with keyset pagination: the cursor holds the sort key of the last row,
// so pages stay stable while rows are inserted, and no OFFSET scan grows with the page number.
import { DomainError, ErrorCode, invalidArgument } from "../errors.js";

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;

export interface EdgeModel<T> {
  cursor: string;
  node: T;
}
export interface ConnectionModel<T> {
  edges: EdgeModel<T>[];
  nodes: T[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  /** Called only when the client selects totalCount (the default resolver calls functions). */
  totalCount: () => Promise<number>;
}

/** A list of keys for a by-key lookup: at most MAX_PAGE_SIZE of them, like a page. */
export function keyList<K>(argument: string, keys: readonly K[]): readonly K[] {
  if (keys.length > MAX_PAGE_SIZE) throw invalidArgument(argument, `must list at most ${MAX_PAGE_SIZE} keys, got ${keys.length}`);
  return keys;
}

export function pageSize(first: number | null | undefined, argument: "first" | "last" = "first"): number {
  const n = first ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(n) || n < 1 || n > MAX_PAGE_SIZE) {
    throw new DomainError(ErrorCode.PAGE_SIZE_OUT_OF_RANGE, `Argument "${argument}" must be between 1 and ${MAX_PAGE_SIZE}, got ${n}`, {
      argument,
      max: MAX_PAGE_SIZE,
    });
  }
  return n;
}

/** The Relay paging arguments a connection field takes (`last`/`before` only where the ordering allows it). */
export interface PageArgs {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
}

/**
 * Which slice of the ordered list a request asks for. Forward (`first`/`after`) reads in the
 * field's order from the cursor; backward (`last`/`before`) reads in the opposite order from the
 * cursor and the page is turned round before it is returned, so both cost one index range scan.
 */
export interface PageWindow {
  limit: number;
  cursor: SortKey | null;
  backward: boolean;
}

export function pageWindow(args: PageArgs, arity: 1 | 2): PageWindow {
  const forwardGiven = args.first != null || args.after != null;
  const backwardGiven = args.last != null || args.before != null;
  if (forwardGiven && backwardGiven) {
    const given = (["first", "after", "last", "before"] as const).filter((k) => args[k] != null);
    throw new DomainError(
      ErrorCode.INVALID_PAGE_ARGUMENTS,
      `Page forward with first/after or backward with last/before, not both (given: ${given.join(", ")})`,
      {
        arguments: given,
      },
    );
  }
  if (backwardGiven) return { limit: pageSize(args.last, "last"), cursor: decodeCursor(args.before, arity, "before"), backward: true };
  return { limit: pageSize(args.first, "first"), cursor: decodeCursor(args.after, arity, "after"), backward: false };
}

/** The direction to read rows in: the field's own order, reversed when paging backward. */
export function readDirection(fieldOrder: "asc" | "desc", window: PageWindow): "asc" | "desc" {
  return window.backward ? (fieldOrder === "asc" ? "desc" : "asc") : fieldOrder;
}

/** Prisma where-clause for the rows beyond the window's cursor in its read direction. */
export function cursorWhere(window: PageWindow, field: string | null, fieldOrder: "asc" | "desc"): Record<string, unknown> {
  return afterCursorWhere(window.cursor, field, readDirection(fieldOrder, window));
}

/** A sort key: the id alone, or a timestamp then the id as tie-breaker. */
export type SortKey = [id: string] | [at: string, id: string];

export function encodeCursor(key: SortKey): string {
  return Buffer.from(JSON.stringify(key)).toString("base64url");
}

export function decodeCursor(cursor: string | null | undefined, arity: 1 | 2, argument: "after" | "before" = "after"): SortKey | null {
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
  throw new DomainError(ErrorCode.INVALID_CURSOR, `Argument "${argument}" is not a cursor issued by this field: ${JSON.stringify(cursor)}`, {
    argument,
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

/**
 * A page from rows read in the window's direction (limit + 1 of them, the extra one only telling
 * whether more exist). Given a plain limit, the page is a forward one from the start. The side the
 * client came from counts as "more" whenever it came with a cursor: the cursor's row lies there.
 */
export function buildConnection<T>(rows: T[], page: number | PageWindow, keyOf: (row: T) => SortKey, count: () => Promise<number>): ConnectionModel<T> {
  const window = typeof page === "number" ? { limit: page, cursor: null, backward: false } : page;
  const more = rows.length > window.limit;
  const nodes = rows.slice(0, window.limit);
  if (window.backward) nodes.reverse();
  const edges = nodes.map((node) => ({ cursor: encodeCursor(keyOf(node)), node }));
  let counted: Promise<number> | null = null;
  return {
    edges,
    nodes,
    pageInfo: {
      hasNextPage: window.backward ? window.cursor != null : more,
      hasPreviousPage: window.backward ? more : window.cursor != null,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
    totalCount: () => (counted ??= count()),
  };
}

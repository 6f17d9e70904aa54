// Relay connections with keyset cursors: page size bounds, cursor round trips, where-clauses.
import { describe, it, expect, vi } from "vitest";
import { GraphQLError } from "graphql";
import { DomainError } from "../../platform/errors.js";
import {
  DEFAULT_PAGE_SIZE,
  MAX_PAGE_SIZE,
  afterCursorWhere,
  buildConnection,
  cursorWhere,
  pageWindow,
  readDirection,
  decodeCursor,
  encodeCursor,
  pageSize,
  type SortKey,
} from "../../platform/graphql/connection.js";

/** Runs fn, expects it to throw a DomainError, returns it. */
function domainErrorOf(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(DomainError);
    expect(err).toBeInstanceOf(GraphQLError);
    return err as DomainError;
  }
  throw new Error("expected a DomainError, nothing was thrown");
}

describe("pageSize", () => {
  it("defaults to DEFAULT_PAGE_SIZE for null and undefined", () => {
    expect(DEFAULT_PAGE_SIZE).toBe(50);
    expect(pageSize(undefined)).toBe(50);
    expect(pageSize(null)).toBe(50);
  });

  it.each([1, 2, 499, 500])("accepts %i", (n) => {
    expect(pageSize(n)).toBe(n);
  });

  it.each([0, -1, 501, 10_000, 1.5, 0.5, Number.NaN, Number.POSITIVE_INFINITY])("rejects %d with PAGE_SIZE_OUT_OF_RANGE", (n) => {
    const err = domainErrorOf(() => pageSize(n));
    expect(err.extensions.code).toBe("PAGE_SIZE_OUT_OF_RANGE");
    expect(err.extensions.argument).toBe("first");
    expect(err.extensions.max).toBe(MAX_PAGE_SIZE);
    expect(err.message).toBe(`Argument "first" must be between 1 and 500, got ${n}`);
  });
});

describe("encodeCursor / decodeCursor", () => {
  it("round-trips an id key and a (timestamp, id) key", () => {
    const one: SortKey = ["ord_01HX"];
    const two: SortKey = ["2026-03-01T12:34:56.789Z", "ord_01HX"];
    expect(decodeCursor(encodeCursor(one), 1)).toEqual(one);
    expect(decodeCursor(encodeCursor(two), 2)).toEqual(two);
  });

  it("round-trips ids with quotes, unicode and separators", () => {
    const key: SortKey = ['we"ird/+=id\u00e9\u{1F600}'];
    expect(decodeCursor(encodeCursor(key), 1)).toEqual(key);
  });

  it("is opaque and URL-safe", () => {
    const c = encodeCursor(["2026-03-01T12:34:56.789Z", "id?&=/+"]);
    expect(c).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(c).not.toContain("ord");
  });

  it("returns null for no cursor", () => {
    expect(decodeCursor(null, 1)).toBeNull();
    expect(decodeCursor(undefined, 2)).toBeNull();
  });

  const b64 = (s: string) => Buffer.from(s).toString("base64url");
  const valid2 = encodeCursor(["2026-03-01T12:34:56.789Z", "ord_1"]);
  it.each([
    ["garbage text", "not a cursor!!"],
    ["empty string", ""],
    ["truncated cursor", valid2.slice(0, -6)],
    ["base64 of non-JSON", b64("hello")],
    ["an object", b64('{"id":"x"}')],
    ["a number in the key", b64("[42]")],
    ["a bare string", b64('"ord_1"')],
    ["wrong arity (1 for a 2-field sort)", encodeCursor(["ord_1"])],
    ["bad timestamp", b64('["yesterday","ord_1"]')],
    ["three elements", b64('["2026-01-01T00:00:00Z","a","b"]')],
  ])("rejects %s with INVALID_CURSOR", (_what, cursor) => {
    const err = domainErrorOf(() => decodeCursor(cursor, 2));
    expect(err.extensions.code).toBe("INVALID_CURSOR");
    expect(err.extensions.argument).toBe("after");
    expect(err.message).toBe(`Argument "after" is not a cursor issued by this field: ${JSON.stringify(cursor)}`);
  });

  it("rejects a 2-field cursor on an id-sorted field", () => {
    expect(domainErrorOf(() => decodeCursor(valid2, 1)).extensions.code).toBe("INVALID_CURSOR");
  });
});

describe("afterCursorWhere", () => {
  const at = "2026-03-01T12:34:56.789Z";

  it("is empty without a cursor", () => {
    expect(afterCursorWhere(null, "placedAt", "desc")).toEqual({});
    expect(afterCursorWhere(null, null, "asc")).toEqual({});
  });

  it("compares the id alone for an id sort: gt ascending, lt descending", () => {
    expect(afterCursorWhere(["id_5"], null, "asc")).toEqual({ id: { gt: "id_5" } });
    expect(afterCursorWhere(["id_5"], null, "desc")).toEqual({ id: { lt: "id_5" } });
    expect(afterCursorWhere(["id_5"], "placedAt", "asc")).toEqual({ id: { gt: "id_5" } });
  });

  it("breaks timestamp ties by id for a (field, id) sort", () => {
    const where = afterCursorWhere([at, "id_5"], "placedAt", "desc");
    expect(where).toEqual({ OR: [{ placedAt: { lt: new Date(at) } }, { placedAt: new Date(at), id: { lt: "id_5" } }] });
    const or = (where as { OR: { placedAt: unknown }[] }).OR;
    expect(or[1].placedAt).toBeInstanceOf(Date);
    expect(afterCursorWhere([at, "id_5"], "occurredAt", "asc")).toEqual({
      OR: [{ occurredAt: { gt: new Date(at) } }, { occurredAt: new Date(at), id: { gt: "id_5" } }],
    });
  });
});

describe("buildConnection", () => {
  const rows = [
    { id: "a", at: "2026-01-01T00:00:00.000Z" },
    { id: "b", at: "2026-01-02T00:00:00.000Z" },
    { id: "c", at: "2026-01-03T00:00:00.000Z" },
  ];
  const keyOf = (r: { id: string; at: string }): SortKey => [r.at, r.id];

  it("has a next page when the query returned limit + 1 rows, and drops the extra row", () => {
    const conn = buildConnection(rows, 2, keyOf, async () => 3);
    expect(conn.nodes.map((n) => n.id)).toEqual(["a", "b"]);
    expect(conn.edges.map((e) => e.node.id)).toEqual(["a", "b"]);
    expect(conn.pageInfo.hasNextPage).toBe(true);
    expect(conn.pageInfo.endCursor).toBe(encodeCursor(keyOf(rows[1])));
    expect(decodeCursor(conn.pageInfo.endCursor, 2)).toEqual(["2026-01-02T00:00:00.000Z", "b"]);
  });

  it("has no next page when all rows fit", () => {
    const conn = buildConnection(rows, 3, keyOf, async () => 3);
    expect(conn.pageInfo.hasNextPage).toBe(false);
    expect(conn.nodes).toHaveLength(3);
    expect(conn.pageInfo.endCursor).toBe(encodeCursor(keyOf(rows[2])));
  });

  it("gives each edge the cursor of its own node", () => {
    const conn = buildConnection(
      rows,
      5,
      (r) => [r.id],
      async () => 3,
    );
    expect(conn.edges.map((e) => decodeCursor(e.cursor, 1))).toEqual([["a"], ["b"], ["c"]]);
  });

  it("has a null endCursor and no next page when empty", () => {
    const conn = buildConnection([], 10, keyOf, async () => 0);
    expect(conn.edges).toEqual([]);
    expect(conn.pageInfo).toEqual({ hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null });
  });

  it("turns a backward page round and reports the side it came from", () => {
    // Rows as read backward (newest-first field read oldest-first): c, b, a plus one extra.
    const back = [{ id: "d" }, { id: "c" }, { id: "b" }, { id: "a" }];
    const conn = buildConnection(
      back,
      { limit: 3, cursor: ["e"], backward: true },
      (r) => [r.id],
      async () => 5,
    );
    expect(conn.nodes.map((n) => n.id)).toEqual(["b", "c", "d"]);
    expect(conn.pageInfo).toMatchObject({ hasPreviousPage: true, hasNextPage: true });
    expect(decodeCursor(conn.pageInfo.startCursor, 1)).toEqual(["b"]);
    expect(decodeCursor(conn.pageInfo.endCursor, 1)).toEqual(["d"]);
    const start = buildConnection(
      [{ id: "a" }],
      { limit: 3, cursor: null, backward: true },
      (r) => [r.id],
      async () => 1,
    );
    expect(start.pageInfo).toMatchObject({ hasPreviousPage: false, hasNextPage: false });
  });

  it("counts lazily and only once", async () => {
    const count = vi.fn(async () => 42);
    const conn = buildConnection(rows, 2, keyOf, count);
    expect(count).not.toHaveBeenCalled();
    const first = conn.totalCount();
    const second = conn.totalCount();
    expect(first).toBe(second);
    expect(await first).toBe(42);
    expect(await conn.totalCount()).toBe(42);
    expect(count).toHaveBeenCalledTimes(1);
  });
});

describe("pageWindow", () => {
  it("reads forward by default, backward with last/before, and refuses a mix naming what was given", () => {
    expect(pageWindow({}, 1)).toEqual({ limit: 50, cursor: null, backward: false });
    expect(pageWindow({ last: 5 }, 1)).toEqual({ limit: 5, cursor: null, backward: true });
    expect(pageWindow({ last: 5, before: encodeCursor(["x"]) }, 1)).toEqual({ limit: 5, cursor: ["x"], backward: true });
    expect(() => pageWindow({ first: 5, last: 5 }, 1)).toThrow("not both (given: first, last)");
    expect(() => pageWindow({ last: 0 }, 1)).toThrow('Argument "last" must be between 1 and 500, got 0');
    expect(() => pageWindow({ before: "zz" }, 1)).toThrow('Argument "before" is not a cursor');
  });

  it("flips the read direction and the cursor condition when paging backward", () => {
    const back = pageWindow({ last: 2, before: encodeCursor(["id_5"]) }, 1);
    expect(readDirection("desc", back)).toBe("asc");
    expect(cursorWhere(back, null, "desc")).toEqual({ id: { gt: "id_5" } });
    const fwd = pageWindow({ first: 2, after: encodeCursor(["id_5"]) }, 1);
    expect(readDirection("desc", fwd)).toBe("desc");
    expect(cursorWhere(fwd, null, "desc")).toEqual({ id: { lt: "id_5" } });
  });
});

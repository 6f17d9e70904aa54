// formatError: registered and request error codes pass through, anything else is masked outside
// development. Inputs are shaped as Apollo Server passes them: (formattedError, originalError).
import { describe, it, expect, vi, beforeEach, afterEach } from "vitest";
import { GraphQLError, type GraphQLFormattedError } from "graphql";
import { DomainError, ErrorCode, formatError, invalidArgument, isDevelopment, isUnexpectedError } from "../../platform/errors.js";

const path = ["orders", 0, "total"];
const locations = [{ line: 2, column: 3 }];

/** What graphql-js makes of an error thrown in a resolver: a GraphQLError with path and originalError. */
const resolverError = (original: Error) => new GraphQLError(original.message, { path, originalError: original });
/** Apollo Server's formatted form: the error as JSON, with INTERNAL_SERVER_ERROR added when it had no code. */
const formattedOf = (err: GraphQLError, code?: string): GraphQLFormattedError => {
  const json = err.toJSON();
  return { ...json, locations, extensions: { ...json.extensions, ...(code ? { code } : {}) } };
};

let savedNodeEnv: string | undefined;
beforeEach(() => {
  savedNodeEnv = process.env.NODE_ENV;
  vi.spyOn(console, "error").mockImplementation(() => {});
});
afterEach(() => {
  if (savedNodeEnv === undefined) delete process.env.NODE_ENV;
  else process.env.NODE_ENV = savedNodeEnv;
  vi.restoreAllMocks();
});

describe("DomainError", () => {
  it("is a GraphQLError carrying its code and details in extensions", () => {
    const err = new DomainError(ErrorCode.NOT_FOUND, "Order o1 does not exist", { id: "o1" });
    expect(err).toBeInstanceOf(GraphQLError);
    expect(err.message).toBe("Order o1 does not exist");
    expect(err.extensions).toEqual({ code: "NOT_FOUND", id: "o1" });
  });

  it("invalidArgument names the argument", () => {
    const err = invalidArgument("from", "must be before to");
    expect(err.message).toBe('Argument "from" must be before to');
    expect(err.extensions).toEqual({ code: "INVALID_ARGUMENT", argument: "from" });
  });
});

describe("isDevelopment", () => {
  it("is true only for NODE_ENV=development", () => {
    expect(isDevelopment({ NODE_ENV: "development" })).toBe(true);
    expect(isDevelopment({ NODE_ENV: "production" })).toBe(false);
    expect(isDevelopment({ NODE_ENV: "test" })).toBe(false);
    expect(isDevelopment({})).toBe(false);
  });
});

describe("formatError outside development", () => {
  beforeEach(() => {
    process.env.NODE_ENV = "production";
  });

  it("keeps a DomainError thrown in a resolver as it is", () => {
    const domain = new DomainError(ErrorCode.INVALID_CURSOR, 'Argument "after" is not a cursor', { argument: "after" });
    const formatted = formattedOf(resolverError(domain), "INVALID_CURSOR");
    formatted.extensions!.argument = "after";
    expect(formatError(formatted, resolverError(domain))).toBe(formatted);
    expect(console.error).not.toHaveBeenCalled();
  });

  it("keeps a DomainError thrown directly (not wrapped)", () => {
    const domain = new DomainError(ErrorCode.PAGE_SIZE_OUT_OF_RANGE, "too big");
    const formatted = domain.toJSON();
    expect(formatError(formatted, domain)).toEqual({ message: "too big", extensions: { code: "PAGE_SIZE_OUT_OF_RANGE" } });
  });

  it.each(["GRAPHQL_VALIDATION_FAILED", "GRAPHQL_PARSE_FAILED", "BAD_USER_INPUT", "BAD_REQUEST", "PERSISTED_QUERY_NOT_FOUND", "OPERATION_RESOLUTION_FAILURE"])(
    "keeps a request error with code %s",
    (code) => {
      const err = new GraphQLError('Cannot query field "nope" on type "Query".', { extensions: { code } });
      const formatted = formattedOf(err);
      expect(formatError(formatted, err)).toBe(formatted);
    },
  );

  it("keeps a registered code forwarded from a subgraph (not a DomainError instance here)", () => {
    const err = new GraphQLError("Order o1 does not exist", { path, extensions: { code: "NOT_FOUND" } });
    const formatted = formattedOf(err);
    expect(formatError(formatted, err)).toBe(formatted);
  });

  it("masks an unexpected Error thrown in a resolver", () => {
    const original = new Error("connect ECONNREFUSED 10.0.0.5:5432 password=hunter2");
    const wrapped = resolverError(original);
    const formatted = formattedOf(wrapped, "INTERNAL_SERVER_ERROR");
    const out = formatError(formatted, wrapped);
    expect(out).toEqual({ message: "Internal server error", path, locations, extensions: { code: "INTERNAL_SERVER_ERROR" } });
    expect(JSON.stringify(out)).not.toContain("hunter2");
  });

  it("masks an error with an unregistered code, dropping its extra extensions", () => {
    const err = new GraphQLError("secret detail", { path, extensions: { code: "SOMETHING_ELSE", sql: "select 1" } });
    const out = formatError(formattedOf(err), err);
    expect(out.message).toBe("Internal server error");
    expect(out.extensions).toEqual({ code: "INTERNAL_SERVER_ERROR" });
  });

  it("masks a resolver error with no code at all", () => {
    const wrapped = resolverError(new TypeError("Cannot read properties of undefined (reading 'id')"));
    const out = formatError(wrapped.toJSON(), wrapped);
    expect(out).toEqual({ message: "Internal server error", path, extensions: { code: "INTERNAL_SERVER_ERROR" } });
  });

  it("masks an INTERNAL_SERVER_ERROR code that still carries the real message", () => {
    const err = new GraphQLError("relation orders.order does not exist", { path, extensions: { code: "INTERNAL_SERVER_ERROR" } });
    expect(formatError(formattedOf(err), err).message).toBe("Internal server error");
  });

  it("passes an already-masked error through unchanged without logging again", () => {
    const formatted: GraphQLFormattedError = { message: "Internal server error", path, extensions: { code: "INTERNAL_SERVER_ERROR" } };
    expect(formatError(formatted, new GraphQLError("Internal server error"))).toBe(formatted);
    expect(console.error).not.toHaveBeenCalled();
  });
});

describe("formatError in development", () => {
  beforeEach(() => {
    process.env.NODE_ENV = "development";
  });

  it("keeps the original message of an unexpected error", () => {
    const wrapped = resolverError(new Error("boom: the real reason"));
    const formatted = formattedOf(wrapped, "INTERNAL_SERVER_ERROR");
    const out = formatError(formatted, wrapped);
    expect(out.message).toBe("boom: the real reason");
    expect(out.extensions?.code).toBe("INTERNAL_SERVER_ERROR");
  });

  it("keeps an unregistered code and its extensions, and does not log", () => {
    const err = new GraphQLError("secret detail", { path, extensions: { code: "SOMETHING_ELSE", sql: "select 1" } });
    const formatted = formattedOf(err);
    expect(formatError(formatted, err)).toBe(formatted);
    expect(console.error).not.toHaveBeenCalled();
  });
});

describe("isUnexpectedError (what is masked and logged)", () => {
  it("is false for domain errors, registered and request codes, and errors a subgraph already masked", () => {
    expect(isUnexpectedError("NOT_FOUND", new Error("x"), "Order o1 does not exist")).toBe(false);
    expect(isUnexpectedError(undefined, new DomainError(ErrorCode.INVALID_CURSOR, "bad"), "bad")).toBe(false);
    expect(isUnexpectedError("GRAPHQL_VALIDATION_FAILED", null, "Cannot query field")).toBe(false);
    expect(isUnexpectedError("INTERNAL_SERVER_ERROR", null, "Internal server error")).toBe(false);
  });

  it("is true for errors without a code, unregistered codes, and INTERNAL_SERVER_ERROR with the real message", () => {
    expect(isUnexpectedError(undefined, new TypeError("x is undefined"), "x is undefined")).toBe(true);
    expect(isUnexpectedError("SOMETHING_ELSE", null, "secret")).toBe(true);
    expect(isUnexpectedError("INTERNAL_SERVER_ERROR", new Error("relation does not exist"), "relation does not exist")).toBe(true);
  });
});

describe("describeError (masked errors' log lines)", () => {
  it("says what a plain object, an Error and a primitive are, never [object Object]", async () => {
    const { describeError } = await import("../../platform/telemetry/describe-error.js");
    expect(describeError({ message: "upstream exploded", extensions: { code: "THEIR_CODE" } })).toEqual({
      error: "upstream exploded",
      extensions: { code: "THEIR_CODE" },
    });
    expect(describeError({ weird: 1 }).error).toBe('{"weird":1}');
    const e = describeError(new TypeError("bad"));
    expect(e.error).toBe("TypeError: bad");
    expect(e.stack).toContain("TypeError: bad");
    expect(describeError(42).error).toBe("42");
  });
});

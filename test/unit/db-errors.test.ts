// Database failures classified for retries and described without the database's own text.
import { describe, expect, it } from "vitest";
import { classifyDbError, describeDbFailure, isTransient } from "../../platform/db/errors.js";

describe("classifyDbError", () => {
  it.each([
    ["55P03", "lock-timeout"],
    ["57014", "statement-timeout"],
    ["40P01", "conflict"],
    ["40001", "conflict"],
    ["57P01", "unavailable"],
    ["08006", "unavailable"],
  ])("reads SQLSTATE %s wherever Prisma puts it", (code, kind) => {
    // a raw query error (code in meta and in the text), and a driver adapter error (code in the cause)
    const raw = Object.assign(new Error(`Invalid \`prisma.$queryRaw()\` invocation:\n\nRaw query failed. Code: \`${code}\`. Message: \`boom\``), {
      code: "P2010",
      meta: { code },
    });
    const adapter = Object.assign(new Error("DriverAdapterError"), { cause: { originalCode: code } });
    expect(classifyDbError(raw)).toEqual({ kind, code });
    expect(classifyDbError(adapter)).toEqual({ kind, code });
    expect(isTransient(classifyDbError(raw))).toBe(true);
  });

  it("recognises an unreachable database and leaves everything else as other", () => {
    expect(classifyDbError(new Error("connect ECONNREFUSED 127.0.0.1:5432")).kind).toBe("unavailable");
    expect(classifyDbError(Object.assign(new Error("duplicate key"), { meta: { code: "23505" } }))).toEqual({ kind: "other", code: "23505" });
    expect(classifyDbError(new TypeError("x is undefined"))).toEqual({ kind: "other", code: null });
    expect(isTransient(classifyDbError(new TypeError("x")))).toBe(false);
  });

  it("describes each kind in a sentence without SQL, codes or paths", () => {
    for (const kind of ["lock-timeout", "statement-timeout", "conflict", "unavailable", "other"] as const) {
      expect(describeDbFailure({ kind, code: "55P03" })).not.toMatch(/55P03|prisma|SELECT|\//i);
    }
  });
});

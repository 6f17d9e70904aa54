// Scalars every subgraph shares. Decimal travels as a string so money never passes through a float.
import { GraphQLScalarType, Kind } from "graphql";
import { invalidArgument } from "../errors.js";

const toDate = (value: unknown, what: string): Date => {
  const d = value instanceof Date ? value : new Date(String(value));
  if (Number.isNaN(d.getTime())) throw invalidArgument(what, `is not a valid ISO 8601 value: ${JSON.stringify(value)}`);
  return d;
};

/** Date rolls 2026-02-30 over to March 2nd; a calendar date must name a day that exists. */
export function isRealCalendarDate(yyyyMmDd: string): boolean {
  const [y, m, d] = yyyyMmDd.split("-").map(Number);
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

// An offset is required: a bare local time would be read in the server's zone.
const dateTimePattern = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

function parseDateTime(v: unknown): Date {
  if (typeof v !== "string" || !dateTimePattern.test(v))
    throw invalidArgument("DateTime", `must be an ISO 8601 date-time with offset (2026-11-28T10:00:00Z), got ${JSON.stringify(v)}`);
  if (!isRealCalendarDate(v.slice(0, 10))) throw invalidArgument("DateTime", `names a day that does not exist: ${JSON.stringify(v)}`);
  return toDate(v, "DateTime");
}

function parseDate(v: unknown): Date {
  if (typeof v !== "string" || !/^\d{4}-\d{2}-\d{2}$/.test(v)) throw invalidArgument("Date", `must be YYYY-MM-DD, got ${JSON.stringify(v)}`);
  if (!isRealCalendarDate(v)) throw invalidArgument("Date", `names a day that does not exist: ${JSON.stringify(v)}`);
  return toDate(`${v}T00:00:00Z`, "Date");
}

export const DateTimeScalar = new GraphQLScalarType({
  name: "DateTime",
  serialize: (v) => toDate(v, "DateTime").toISOString(),
  parseValue: parseDateTime,
  parseLiteral: (ast) => parseDateTime(ast.kind === Kind.STRING ? ast.value : null),
});

export const DateScalar = new GraphQLScalarType({
  name: "Date",
  serialize: (v) => toDate(v, "Date").toISOString().slice(0, 10),
  parseValue: parseDate,
  parseLiteral: (ast) => parseDate(ast.kind === Kind.STRING ? ast.value : null),
});

const decimalPattern = /^-?\d+(\.\d+)?$/;
export const DecimalScalar = new GraphQLScalarType({
  name: "Decimal",
  serialize: (v) => {
    // Prisma returns Decimal.js instances; their toString keeps every digit.
    const s = String(v);
    if (!decimalPattern.test(s)) throw new TypeError(`Decimal cannot represent ${s}`);
    return s;
  },
  parseValue: (v) => {
    if (typeof v !== "string" || !decimalPattern.test(v)) throw invalidArgument("Decimal", `must be a decimal string like "12.50", got ${JSON.stringify(v)}`);
    return v;
  },
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.STRING || !decimalPattern.test(ast.value)) throw invalidArgument("Decimal", 'must be a decimal string like "12.50"');
    return ast.value;
  },
});

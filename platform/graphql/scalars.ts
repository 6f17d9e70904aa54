// Scalars every subgraph shares. Decimal travels as a string so money never passes through a float.
import { GraphQLScalarType, Kind } from "graphql";
import { invalidArgument } from "../errors.js";

const toDate = (value: unknown, what: string): Date => {
  const d = value instanceof Date ? value : new Date(String(value));
  if (Number.isNaN(d.getTime())) throw invalidArgument(what, `is not a valid ISO 8601 value: ${JSON.stringify(value)}`);
  return d;
};

export const DateTimeScalar = new GraphQLScalarType({
  name: "DateTime",
  serialize: (v) => toDate(v, "DateTime").toISOString(),
  parseValue: (v) => {
    if (typeof v !== "string" || !/^\d{4}-\d{2}-\d{2}T/.test(v)) throw invalidArgument("DateTime", `must be an ISO 8601 date-time string, got ${JSON.stringify(v)}`);
    return toDate(v, "DateTime");
  },
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.STRING || !/^\d{4}-\d{2}-\d{2}T/.test(ast.value)) throw invalidArgument("DateTime", "must be an ISO 8601 date-time string");
    return toDate(ast.value, "DateTime");
  },
});

export const DateScalar = new GraphQLScalarType({
  name: "Date",
  serialize: (v) => toDate(v, "Date").toISOString().slice(0, 10),
  parseValue: (v) => {
    if (typeof v !== "string" || !/^\d{4}-\d{2}-\d{2}$/.test(v)) throw invalidArgument("Date", `must be YYYY-MM-DD, got ${JSON.stringify(v)}`);
    return toDate(`${v}T00:00:00Z`, "Date");
  },
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.STRING || !/^\d{4}-\d{2}-\d{2}$/.test(ast.value)) throw invalidArgument("Date", "must be YYYY-MM-DD");
    return toDate(`${ast.value}T00:00:00Z`, "Date");
  },
});

const decimalPattern = /^-?\d+(\.\d+)?$/;
export const DecimalScalar = new GraphQLScalarType({
  name: "Decimal",
  serialize: (v) => {
    // Prisma returns Decimal.js instances; their toString keeps every digit.
    const s = typeof v === "object" && v !== null ? String(v) : String(v);
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

// Keyset bounds for export reads: rows after one key and up to another, in key order, for a
// single or a composite key (sku, locationId), as a Prisma where clause.
type Where = Record<string, unknown>;

function beyond(key: readonly string[], values: string[], op: "gt" | "lte"): Where {
  // (a, b) > (x, y)  <=>  a > x OR (a = x AND b > y); (a, b) <= (x, y) likewise with lt and a final lte.
  const strict = op === "gt" ? "gt" : "lt";
  const clauses: Where[] = key.map((column, i) => {
    const last = i === key.length - 1;
    return { ...Object.fromEntries(key.slice(0, i).map((c, j) => [c, values[j]])), [column]: { [last ? op : strict]: values[i] } };
  });
  return clauses.length === 1 ? clauses[0]! : { OR: clauses };
}

export function keysetWhere(key: readonly string[], range: { after: string[] | null; upTo: string[] | null }): Where {
  const parts: Where[] = [];
  if (range.after) parts.push(beyond(key, range.after, "gt"));
  if (range.upTo) parts.push(beyond(key, range.upTo, "lte"));
  return parts.length ? { AND: parts } : {};
}

export const keysetOrder = (key: readonly string[]) => key.map((k) => ({ [k]: "asc" as const }));

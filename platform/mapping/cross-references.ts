// The cross-reference rows (platform.CrossReference): validation and normalisation of what is
// written, batch lookups, and paging. Owned by the mapping module; domains reach them through
// MappingSession (lookups) and the operations subgraph (maintenance), never by their own SQL.
import { Prisma, type CrossReference, type CrossReferenceKind } from "../db/generated/client.js";
import type { Db } from "../db/client.js";
import { Gs1FormatError, normalizeGln, normalizeGtin } from "./gs1.js";
import { isValidZone } from "./time.js";

export type { CrossReference, CrossReferenceKind };
export const crossReferenceKinds: CrossReferenceKind[] = ["PRODUCT", "LOCATION", "CUSTOMER", "SUPPLIER", "UNIT", "STATUS", "TIME_ZONE", "DATE_QUALIFIER"];

export interface CrossReferenceKey {
  kind: CrossReferenceKind;
  system: string;
  externalValue: string;
}
export interface CrossReferenceInput extends CrossReferenceKey {
  canonicalId: string;
}

/** The namespace of GS1 identifiers (GTIN for products, GLN for locations and customers). */
export const GS1 = "GS1";
export const MAX_REFERENCES_PER_CALL = 10_000;

export class CrossReferenceError extends Error {
  constructor(
    message: string,
    /** Index of the offending input, when there is one. */
    public readonly index?: number,
  ) {
    super(message);
  }
}

/**
 * The form a value is stored and matched in, so that a lookup finds what an upsert wrote whatever
 * the source's formatting: GS1 numbers padded (GTIN-14) and checked, X12 partner ids
 * "<qualifier>:<id>" with the ISA padding trimmed. Warnings (a wrong check digit) are returned.
 */
export function normalizeExternalValue(kind: CrossReferenceKind, system: string, value: string): { value: string; warnings: string[] } {
  const trimmed = value.trim();
  if (system === GS1) {
    if (kind === "PRODUCT") return normalizeGtin(trimmed);
    if (kind === "LOCATION" || kind === "CUSTOMER" || kind === "SUPPLIER") return normalizeGln(trimmed);
  }
  if (system === "X12" && (kind === "CUSTOMER" || kind === "SUPPLIER") && trimmed.includes(":")) {
    const [qualifier, ...id] = trimmed.split(":");
    return { value: `${qualifier.trim()}:${id.join(":").trim()}`, warnings: [] };
  }
  if (kind === "UNIT" || kind === "TIME_ZONE") return { value: trimmed.toUpperCase(), warnings: [] };
  return { value: trimmed, warnings: [] };
}

const TOKEN = /^[A-Z][A-Z0-9_]*$/;

/** Checks and normalises references to write; throws CrossReferenceError naming the first bad one. */
export function prepareReferences(inputs: CrossReferenceInput[]): { references: CrossReferenceInput[]; warnings: string[] } {
  if (inputs.length > MAX_REFERENCES_PER_CALL)
    throw new CrossReferenceError(`at most ${MAX_REFERENCES_PER_CALL} references per call, got ${inputs.length}: split the batch`);
  const warnings: string[] = [];
  const seen = new Map<string, number>();
  const references = inputs.map((input, i) => {
    const at = `references[${i}]`;
    if (!crossReferenceKinds.includes(input.kind))
      throw new CrossReferenceError(`${at}.kind "${input.kind}" is not one of ${crossReferenceKinds.join(", ")}`, i);
    const system = input.system.trim();
    const canonicalId = input.canonicalId.trim();
    if (!system || system.length > 100) throw new CrossReferenceError(`${at}.system must be 1 to 100 characters`, i);
    if (!input.externalValue.trim() || input.externalValue.length > 200) throw new CrossReferenceError(`${at}.externalValue must be 1 to 200 characters`, i);
    if (!canonicalId || canonicalId.length > 200) throw new CrossReferenceError(`${at}.canonicalId must be 1 to 200 characters`, i);
    let normalised: { value: string; warnings: string[] };
    try {
      normalised = normalizeExternalValue(input.kind, system, input.externalValue);
    } catch (err) {
      if (err instanceof Gs1FormatError) throw new CrossReferenceError(`${at}.externalValue: ${err.message}`, i);
      throw err;
    }
    warnings.push(...normalised.warnings.map((w) => `${at}: ${w}`));
    let canonical = canonicalId;
    if (input.kind === "UNIT") canonical = canonicalId.toUpperCase();
    if (input.kind === "TIME_ZONE" && !isValidZone(canonicalId))
      throw new CrossReferenceError(`${at}.canonicalId "${canonicalId}" is neither a UTC offset (+HH:MM) nor an IANA time zone`, i);
    if ((input.kind === "STATUS" || input.kind === "DATE_QUALIFIER") && !TOKEN.test(canonicalId)) {
      throw new CrossReferenceError(`${at}.canonicalId "${canonicalId}" must be an upper-case token (REQUESTED_DELIVERY, ORIGINAL...)`, i);
    }
    const key = keyOf({ kind: input.kind, system, externalValue: normalised.value });
    const earlier = seen.get(key);
    if (earlier !== undefined) throw new CrossReferenceError(`${at} repeats references[${earlier}] (${input.kind} ${normalised.value} from ${system})`, i);
    seen.set(key, i);
    return { kind: input.kind, system, externalValue: normalised.value, canonicalId: canonical };
  });
  return { references, warnings };
}

export const keyOf = (k: CrossReferenceKey) => `${k.kind}\u0000${k.system}\u0000${k.externalValue}`;

/** Inserts or updates the references in one statement per 1,000 rows; returns them as stored. */
export async function upsertCrossReferences(db: Db, inputs: CrossReferenceInput[]): Promise<{ references: CrossReference[]; warnings: string[] }> {
  const { references, warnings } = prepareReferences(inputs);
  const stored: CrossReference[] = [];
  for (let i = 0; i < references.length; i += 1000) {
    const chunk = references.slice(i, i + 1000);
    const values = chunk.map((r) => Prisma.sql`(${r.kind}::"platform"."CrossReferenceKind", ${r.system}, ${r.externalValue}, ${r.canonicalId}, now())`);
    stored.push(
      ...(await db.$queryRaw<CrossReference[]>`
        INSERT INTO "platform"."CrossReference" ("kind", "system", "externalValue", "canonicalId", "updatedAt") VALUES ${Prisma.join(values)}
        ON CONFLICT ("kind", "system", "externalValue") DO UPDATE SET "canonicalId" = EXCLUDED."canonicalId", "updatedAt" = now()
        RETURNING "kind"::text AS "kind", "system", "externalValue", "canonicalId", "createdAt", "updatedAt"`),
    );
  }
  return { references: stored, warnings };
}

/** Deletes one reference (the value is normalised first); returns it, or null when there was none. */
export async function deleteCrossReference(db: Db, key: CrossReferenceKey): Promise<CrossReference | null> {
  const externalValue = normalizeExternalValue(key.kind, key.system.trim(), key.externalValue).value;
  const where = { kind_system_externalValue: { kind: key.kind, system: key.system.trim(), externalValue } };
  return db.crossReference.delete({ where }).catch((err) => {
    if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2025") return null;
    throw err;
  });
}

/** canonicalId per key, for keys already normalised; keys without a row are absent. */
export async function findCrossReferences(db: Db, keys: CrossReferenceKey[]): Promise<Map<string, string>> {
  if (!keys.length) return new Map();
  // Three array parameters whatever the number of keys: a 50,000-line 846 would need 150,000 bind
  // parameters as a list of tuples, past the protocol's 65,535 (and PGlite fails far earlier).
  const rows = await db.$queryRaw<CrossReference[]>`
    SELECT c."kind"::text AS "kind", c."system", c."externalValue", c."canonicalId"
    FROM "platform"."CrossReference" c
    JOIN unnest(${keys.map((k) => k.kind)}::text[], ${keys.map((k) => k.system)}::text[], ${keys.map((k) => k.externalValue)}::text[]) AS k("kind", "system", "value")
      ON c."kind" = k."kind"::"platform"."CrossReferenceKind" AND c."system" = k."system" AND c."externalValue" = k."value"`;
  return new Map(rows.map((r) => [keyOf(r), r.canonicalId]));
}

/** Every external value that stands for these canonical ids (for an object's externalRefs). */
export async function referencesTo(db: Db, kind: CrossReferenceKind, canonicalIds: string[]): Promise<CrossReference[]> {
  if (!canonicalIds.length) return [];
  return db.crossReference.findMany({
    where: { kind, canonicalId: { in: canonicalIds } },
    orderBy: [{ canonicalId: "asc" }, { system: "asc" }, { externalValue: "asc" }],
  });
}

export interface CrossReferenceFilter {
  kind?: CrossReferenceKind | null;
  system?: string | null;
  externalValue?: string | null;
  canonicalId?: string | null;
}

export function crossReferenceWhere(filter: CrossReferenceFilter | null | undefined): Prisma.CrossReferenceWhereInput {
  const f = filter ?? {};
  return {
    ...(f.kind && { kind: f.kind }),
    ...(f.system && { system: f.system }),
    ...(f.externalValue && { externalValue: f.kind && f.system ? safeNormalize(f.kind, f.system, f.externalValue) : f.externalValue.trim() }),
    ...(f.canonicalId && { canonicalId: f.canonicalId }),
  };
}

function safeNormalize(kind: CrossReferenceKind, system: string, value: string): string {
  try {
    return normalizeExternalValue(kind, system, value).value;
  } catch {
    return value.trim();
  }
}

/** A page of references in (kind, system, externalValue) order, after the given key. */
export async function listCrossReferences(db: Db, filter: CrossReferenceFilter | null | undefined, limit: number, after: CrossReferenceKey | null) {
  const f = filter ?? {};
  const conditions: Prisma.Sql[] = [];
  if (f.kind) conditions.push(Prisma.sql`"kind"::text = ${f.kind}`);
  if (f.system) conditions.push(Prisma.sql`"system" = ${f.system}`);
  if (f.externalValue)
    conditions.push(Prisma.sql`"externalValue" = ${f.kind && f.system ? safeNormalize(f.kind, f.system, f.externalValue) : f.externalValue.trim()}`);
  if (f.canonicalId) conditions.push(Prisma.sql`"canonicalId" = ${f.canonicalId}`);
  const where = conditions.length ? Prisma.sql`WHERE ${Prisma.join(conditions, " AND ")}` : Prisma.empty;
  const page = after
    ? Prisma.sql`${conditions.length ? Prisma.sql`AND` : Prisma.sql`WHERE`} ("kind"::text, "system", "externalValue") > (${after.kind}, ${after.system}, ${after.externalValue})`
    : Prisma.empty;
  const rows = await db.$queryRaw<CrossReference[]>`
    SELECT "kind"::text AS "kind", "system", "externalValue", "canonicalId", "createdAt", "updatedAt" FROM "platform"."CrossReference"
    ${where} ${page} ORDER BY "kind"::text, "system", "externalValue" LIMIT ${limit + 1}`;
  const count = async () => {
    const [{ n }] = await db.$queryRaw<{ n: bigint }[]>`SELECT COUNT(*) AS n FROM "platform"."CrossReference" ${where}`;
    return Number(n);
  };
  return { rows, count };
}

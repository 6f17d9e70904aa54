// Mapping maintenance (platform/mapping): reading and writing cross-references and code lists.
// Validation errors name the input (references[3].externalValue: ...).
import { buildConnection, decodeCursor, pageSize } from "../../platform/graphql/connection.js";
import { DomainError, ErrorCode, invalidArgument } from "../../platform/errors.js";
import {
  CrossReferenceError,
  deleteCrossReference,
  listCrossReferences,
  upsertCrossReferences,
  type CrossReferenceKey,
  type CrossReferenceKind,
} from "../../platform/mapping/index.js";
import type { MutationResolvers, QueryResolvers } from "./generated/resolvers-types.js";

const cursorId = (k: CrossReferenceKey) => JSON.stringify([k.kind, k.system, k.externalValue]);

export const mappingQueries: Pick<QueryResolvers, "crossReferences"> = {
  crossReferences: async (_, { filter, first, after }, { db }) => {
    const limit = pageSize(first ?? 100);
    const cursor = decodeCursor(after, 1);
    let key: CrossReferenceKey | null = null;
    if (cursor) {
      try {
        const [kind, system, externalValue] = JSON.parse(cursor[0]) as [CrossReferenceKind, string, string];
        key = { kind, system, externalValue };
      } catch {
        throw new DomainError(ErrorCode.INVALID_CURSOR, `Argument "after" is not a cursor issued by this field`, { argument: "after" });
      }
    }
    const { rows, count } = await listCrossReferences(db, filter, limit, key);
    const connection = buildConnection(rows, { limit, cursor, backward: false }, (r) => [cursorId(r)], count);
    return { nodes: connection.nodes, pageInfo: connection.pageInfo, totalCount: connection.totalCount } as never;
  },
};

export const mappingMutations: Pick<MutationResolvers, "upsertCrossReferences" | "deleteCrossReference"> = {
  upsertCrossReferences: async (_, { references }, { db }) => {
    try {
      const { references: stored, warnings } = await upsertCrossReferences(db, references);
      return { upserted: stored.length, references: stored, warnings };
    } catch (err) {
      if (err instanceof CrossReferenceError)
        throw invalidArgument(err.index === undefined ? "references" : `references[${err.index}]`, err.message.replace(/^references\[\d+\]\.?/, "").trim());
      throw err;
    }
  },
  deleteCrossReference: (_, key, { db }) => deleteCrossReference(db, key),
};

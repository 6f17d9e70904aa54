// Row-level rules of the orders domain: a token bound to a customer (or a business unit) reads and
// acts on that customer's (unit's) orders only. The gateway forwards the caller's identity; these
// checks hold even for a request that reached the subgraph some other way.
import { canSeeRow, type Identity } from "../../platform/auth/identity.js";
import { DomainError, ErrorCode } from "../../platform/errors.js";
import type { ConnectionModel } from "../../platform/graphql/connection.js";

export function assertMayActFor(identity: Identity | null | undefined, row: { customerId?: string | null; businessUnitId?: string | null } | null) {
  if (!row || canSeeRow(identity, row)) return;
  throw new DomainError(ErrorCode.FORBIDDEN, "this token may act only for its own customer's orders", { customerId: identity?.customerId ?? null });
}

export const emptyConnection = <T>(): ConnectionModel<T> => ({
  edges: [],
  nodes: [],
  pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null },
  totalCount: () => Promise.resolve(0),
});

// Who is calling, as every part of the graph sees it: the gateway builds it from a verified token,
// forwards it to the subgraphs (identity-header.ts), and the subgraphs check row-level access with
// it. Nothing here knows about a domain: the claims are generic (a customer, a business unit).
import { DomainError, ErrorCode } from "../errors.js";

export interface Identity {
  /** The token's `sub`. */
  subject: string;
  /** Granted scopes (`scope` space-separated, or `scp` as a list). */
  scopes: readonly string[];
  /** `customer_id`: the token may see only this customer's rows. */
  customerId?: string;
  /** `business_unit_id`: the token may see only this business unit's rows. */
  businessUnitId?: string;
  /** `exp` in epoch seconds, when the token has one. */
  expiresAt?: number;
  /** `client_name` (or `azp`/`client_id`): the calling application, for logs and rate limits. */
  clientName?: string;
}

export const hasScope = (identity: Identity | null | undefined, scope: string) => !!identity && identity.scopes.includes(scope);

/**
 * A string that is equal for two identities exactly when they are allowed the same data: shared
 * work (subscription follow-ups) is shared only between subscribers with the same key.
 */
export function accessKey(identity: Identity | null | undefined): string {
  if (!identity) return "anonymous";
  return JSON.stringify([[...identity.scopes].sort(), identity.customerId ?? null, identity.businessUnitId ?? null]);
}

/** The row filter an identity imposes on customer-owned data, or null for unrestricted access. */
export function rowScope(identity: Identity | null | undefined): { customerId?: string; businessUnitId?: string } | null {
  if (!identity || (!identity.customerId && !identity.businessUnitId)) return null;
  return { ...(identity.customerId && { customerId: identity.customerId }), ...(identity.businessUnitId && { businessUnitId: identity.businessUnitId }) };
}

/** Whether a row owned by (customerId, businessUnitId) is visible to the identity. */
export function canSeeRow(identity: Identity | null | undefined, row: { customerId?: string | null; businessUnitId?: string | null }): boolean {
  const scope = rowScope(identity);
  if (!scope) return true;
  if (scope.customerId && row.customerId !== scope.customerId) return false;
  if (scope.businessUnitId && row.businessUnitId !== scope.businessUnitId) return false;
  return true;
}

/** The rows of an identity with a row scope, as a Prisma-style filter on customerId/businessUnitId. */
export function rowWhere(identity: Identity | null | undefined): { customerId?: string; businessUnitId?: string } {
  return rowScope(identity) ?? {};
}

/**
 * Refuses a customer's or business unit's token (one with a row scope) on data that is not theirs
 * to list: back-office lists such as ERP postings, warehouse feeds or suppliers.
 */
export function refuseRowScoped(identity: Identity | null | undefined, what: string): void {
  if (rowScope(identity)) throw new DomainError(ErrorCode.FORBIDDEN, `a customer's or business unit's token cannot read ${what}`);
}

/** The row when the identity may see it, else null (a hidden row looks like a missing one). */
export function visibleRow<T extends { customerId?: string | null; businessUnitId?: string | null }>(
  identity: Identity | null | undefined,
  row: T | null | undefined,
): T | null {
  return row && canSeeRow(identity, row) ? row : null;
}

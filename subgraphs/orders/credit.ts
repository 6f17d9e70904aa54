// The synchronous credit check at order capture: a typed client of erp-finance's public API
// (Customer.creditCheck), reached over HTTP or in-process through the same operation. A slow,
// failing or unreachable erp-finance is an answer too ("unavailable", with the reason), which
// order capture turns into CREDIT_HOLD: an order is never approved without a decision.
import { z } from "zod";
import { callSubgraph, SubgraphCallError, type SubgraphTransport } from "../../platform/graphql/subgraph-client.js";

export interface CreditRequest {
  customerId: string;
  /** This order's total, in `currency`. */
  amount: string;
  currency: string;
  /** The customer's other accepted orders not yet invoiced (orders knows them, erp-finance does not). */
  openOrderAmount: string;
}

export type CreditAnswer =
  | {
      kind: "decided";
      approved: boolean;
      /** Why not, for a customer-service agent; null when approved. */
      reason: string | null;
      businessUnitId: string;
      customerCurrency: string;
      creditLimit: string;
      exposure: string;
      available: string;
    }
  | { kind: "unknown-customer"; reason: string }
  | { kind: "unavailable"; reason: string };

export interface CreditClient {
  check(request: CreditRequest, correlationId: string): Promise<CreditAnswer>;
}

export const CREDIT_CHECK_QUERY = /* GraphQL */ `
  query OrderCreditCheck($customerId: ID!, $amount: Decimal!, $currency: String!, $openOrderAmount: Decimal!) {
    customer(id: $customerId) {
      id
      currency
      businessUnit {
        id
      }
      creditCheck(amount: $amount, currency: $currency, openOrderAmount: $openOrderAmount) {
        approved
        reason
        creditLimit
        exposure
        available
      }
    }
  }
`;

const answerSchema = z.object({
  customer: z
    .object({
      id: z.string(),
      currency: z.string(),
      businessUnit: z.object({ id: z.string() }),
      creditCheck: z.object({ approved: z.boolean(), reason: z.string().nullable(), creditLimit: z.string(), exposure: z.string(), available: z.string() }),
    })
    .nullable(),
});

export function creditClient(transport: SubgraphTransport, timeoutMs: number): CreditClient {
  return {
    async check(request, correlationId) {
      try {
        const res = await callSubgraph<unknown>(
          transport,
          { query: CREDIT_CHECK_QUERY, variables: { ...request }, operationName: "OrderCreditCheck" },
          correlationId,
          timeoutMs,
        );
        if (res.errors?.length) return { kind: "unavailable", reason: `erp-finance answered with an error: ${res.errors[0].message}` };
        const parsed = answerSchema.safeParse(res.data);
        if (!parsed.success) return { kind: "unavailable", reason: "erp-finance answered in an unexpected shape" };
        const c = parsed.data.customer;
        if (!c) return { kind: "unknown-customer", reason: `erp-finance has no customer ${request.customerId}` };
        return {
          kind: "decided",
          approved: c.creditCheck.approved,
          reason: c.creditCheck.reason,
          businessUnitId: c.businessUnit.id,
          customerCurrency: c.currency,
          creditLimit: c.creditCheck.creditLimit,
          exposure: c.creditCheck.exposure,
          available: c.creditCheck.available,
        };
      } catch (err) {
        if (err instanceof SubgraphCallError && err.kind === "TIMEOUT")
          return { kind: "unavailable", reason: `credit check timed out: erp-finance did not answer within ${timeoutMs} ms` };
        if (err instanceof SubgraphCallError) return { kind: "unavailable", reason: `credit check failed: erp-finance is unavailable (${err.message})` };
        return { kind: "unavailable", reason: `credit check failed: ${err instanceof Error ? err.message : String(err)}` };
      }
    },
  };
}

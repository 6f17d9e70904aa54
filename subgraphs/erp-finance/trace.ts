// erp-finance's steps of a transaction (Trace.financeSteps): its events (invoices, credit memos,
// postings, customers) and every step of its ERP postings (scheduled, each attempt with its
// duration, acknowledgements, retries, manual fixes).
import type { Db } from "../../platform/db/client.js";
import { eventSteps, type TraceStepModel } from "../../platform/trace/steps.js";

const SUBGRAPH = "erp-finance";

export async function financeTraceSteps(db: Db, correlationId: string): Promise<TraceStepModel[]> {
  const [events, postings] = await Promise.all([
    eventSteps(db, correlationId, SUBGRAPH, ["Invoice", "CreditMemo", "SupplierInvoice", "Customer"]),
    db.erpPosting.findMany({ where: { correlationId }, include: { history: { orderBy: { id: "asc" } } } }),
  ]);
  const attempts = postings.flatMap((p) =>
    p.history.map((h) => ({
      at: h.at,
      subgraph: SUBGRAPH,
      kind: ["REJECTED", "GAVE_UP", "ACK_REJECTED", "NO_ACKNOWLEDGEMENT", "CONFIGURATION"].includes(h.action) ? "ERROR" : "POSTING",
      description: `${p.documentType === "INVOICE" ? "invoice" : "credit memo"} ${p.documentNumber} to the ERP of ${p.businessUnitId}: ${h.action}${h.httpStatus ? ` (HTTP ${h.httpStatus})` : ""}${h.detail ? `: ${h.detail}` : ""}`,
      durationMs: h.durationMs,
    })),
  );
  return [...events, ...attempts];
}

// Warnings: what a step noticed about a message without refusing it (an envelope count that does
// not match, a bad GS1 check digit, document totals that disagree with the lines, stock driven
// negative). They are stored with the message, returned to the sender, exposed in the operations
// schema and shown by the ops CLI. An adapter records one with ctx.warn(code, message, where).
import type { IngestStep } from "../db/generated/client.js";
import { storableText } from "./errors.js";

export interface IngestWarning {
  step: IngestStep;
  /** Stable and upper case, for filtering and dashboards: X12_COUNT_MISMATCH, GS1_CHECK_DIGIT… */
  code: string;
  message: string;
  /** Where in the document, as in errors: "segment 7 (GE)", "$.lines[2].gtin". */
  where: string | null;
}

/** A warning as a step reports it; the pipeline adds the step. */
export type WarningInput = Omit<IngestWarning, "step" | "where"> & { where?: string | null };

export const MAX_WARNINGS = 100;

export function warning(step: IngestStep, w: WarningInput): IngestWarning {
  return {
    step,
    code: storableText(w.code).slice(0, 100),
    message: storableText(w.message).slice(0, 2000),
    where: w.where == null ? null : storableText(w.where).slice(0, 200),
  };
}

/** Collects one step's warnings; keeps at most MAX_WARNINGS per message so a bad file cannot flood the row. */
export class WarningList {
  readonly items: IngestWarning[] = [];
  constructor(initial: IngestWarning[] = []) {
    this.items.push(...initial);
  }
  add(step: IngestStep, w: WarningInput) {
    if (this.items.length < MAX_WARNINGS) this.items.push(warning(step, w));
  }
  /** A copy without the given steps' warnings (they are about to be produced again). */
  without(steps: IngestStep[]): WarningList {
    return new WarningList(this.items.filter((w) => !steps.includes(w.step)));
  }
}

export const warningsOf = (json: unknown): IngestWarning[] => (Array.isArray(json) ? (json as IngestWarning[]) : []);

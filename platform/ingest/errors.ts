// Why an inbound message could not be applied, and at which step. The step decides the HTTP
// status and whether retrying can help: bad input (parse/validate/map) cannot, apply may.
import type { IngestStep } from "../db/generated/client.js";
import { ErrorCode } from "../errors.js";

export class IngestError extends Error {
  constructor(
    public readonly step: IngestStep,
    message: string,
    /** Where in the document: JSON path, X12 segment position… */
    public readonly where?: string,
  ) {
    super(where ? `${message} (at ${where})` : message);
  }
}

export const parseError = (message: string, where?: string) => new IngestError("PARSE", message, where);
/**
 * The document breaks a rule: a field's type or range, or (thrown from apply) a rule that needs
 * the current state, such as a stock bound. Never retried as it is; replay after a fix.
 */
export const validationError = (message: string, where?: string) => new IngestError("VALIDATE", message, where);
export const mappingError = (message: string, where?: string) => new IngestError("MAP", message, where);

/** HTTP status for a message that ended DEAD_LETTER at this step. */
export function httpStatusForStep(step: IngestStep): number {
  switch (step) {
    case "RECEIVE":
      return 413;
    case "PARSE":
      return 400;
    case "VALIDATE":
    case "MAP":
      return 422;
    case "IDEMPOTENCY":
      return 409;
    case "APPLY":
      return 500;
  }
}

/** HTTP status for a message in this state: FAILED is stored and retried later (503). */
export function httpStatusFor(state: string, failedStep: IngestStep | null): number {
  if (state === "FAILED") return 503;
  if (state === "DEAD_LETTER") return httpStatusForStep(failedStep ?? "APPLY");
  if (state === "RECEIVED") return 202;
  return 200;
}

/**
 * Text stored in a text column or returned to a caller: PostgreSQL text and jsonb cannot hold
 * U+0000, so control characters are written as \uXXXX escapes (visible, and never a 500).
 */
// eslint-disable-next-line no-control-regex -- escaping control characters is the point
export const storableText = (s: string) => s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);

/** The error code a caller sees for a message that failed at this step. */
export function codeForStep(step: IngestStep): ErrorCode {
  switch (step) {
    case "RECEIVE":
      return ErrorCode.PAYLOAD_TOO_LARGE;
    case "PARSE":
      return ErrorCode.PARSE_FAILED;
    case "VALIDATE":
      return ErrorCode.VALIDATION_FAILED;
    case "MAP":
      return ErrorCode.MAPPING_FAILED;
    case "IDEMPOTENCY":
      return ErrorCode.IDEMPOTENCY_CONFLICT;
    case "APPLY":
      return ErrorCode.APPLY_FAILED;
  }
}

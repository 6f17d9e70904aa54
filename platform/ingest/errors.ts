// Why an inbound message could not be applied, and at which step. The step decides the HTTP
// status and whether retrying can help: bad input (parse/validate/map) cannot, apply may.
import type { IngestStep } from "../db/generated/client.js";

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
export const validationError = (message: string, where?: string) => new IngestError("VALIDATE", message, where);
export const mappingError = (message: string, where?: string) => new IngestError("MAP", message, where);

/** HTTP status for a message that ended in this step's failure. */
export function httpStatusForStep(step: IngestStep): number {
  switch (step) {
    case "RECEIVE":
      return 413;
    case "PARSE":
      return 400;
    case "VALIDATE":
    case "MAP":
      return 422;
    case "APPLY":
      return 500;
  }
}

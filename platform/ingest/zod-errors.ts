// Turns a zod failure into one readable sentence naming each bad field by its path.
import type { ZodError } from "zod";
import { validationError } from "./errors.js";

export function zodValidationError(error: ZodError, prefix = "$") {
  const issues = error.issues.slice(0, 5).map((i) => `${[prefix, ...i.path].join(".")}: ${i.message}`);
  const more = error.issues.length > 5 ? ` (and ${error.issues.length - 5} more)` : "";
  return validationError(`invalid document: ${issues.join("; ")}${more}`);
}

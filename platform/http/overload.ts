// Refuses new requests with 503 SERVER_OVERLOADED while the heap is near its limit (see
// platform/limits/memory-guard.ts), before their bodies are even read.
import type { RequestHandler } from "express";
import { ErrorCode } from "../errors.js";
import type { MemoryGuard } from "../limits/memory-guard.js";
import { sendError, sendGraphQLError } from "./errors.js";

export function refuseWhenOverloaded(memory: MemoryGuard, shape: "graphql" | "plain"): RequestHandler {
  return (req, res, next) => {
    if (!memory.overloaded()) return next();
    const error = { status: 503, code: ErrorCode.SERVER_OVERLOADED, message: memory.message() };
    res.setHeader("retry-after", "5");
    if (shape === "graphql") sendGraphQLError(res, error);
    else sendError(req, res, error);
  };
}

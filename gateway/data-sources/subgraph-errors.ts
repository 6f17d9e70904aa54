// The errors a subgraph fetch can end in, named for what happened: unreachable is not too large.
import { DomainError, ErrorCode } from "../../platform/errors.js";

export const subgraphUnavailable = (subgraph: string, reason: string) =>
  new DomainError(ErrorCode.SUBGRAPH_UNAVAILABLE, `The ${subgraph} subgraph is unavailable (${reason})`, { subgraph });

export const subgraphRequestTooLarge = (subgraph: string, message: string, details: Record<string, unknown>) =>
  new DomainError(ErrorCode.SUBGRAPH_REQUEST_TOO_LARGE, message, { subgraph, limit: "SUBGRAPH_BODY_LIMIT", ...details });

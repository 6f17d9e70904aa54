// Logs every error the caller will see masked (INTERNAL_SERVER_ERROR), with the request's
// correlation id, so "Internal server error" in a response can be traced to its cause.
import type { ApolloServerPlugin } from "@apollo/server";
import { unwrapResolverError } from "@apollo/server/errors";
import { isUnexpectedError } from "../errors.js";
import { logFor } from "../telemetry/log.js";
import { describeError } from "../telemetry/describe-error.js";

export function logUnexpectedErrors<C extends { correlationId?: string }>(): ApolloServerPlugin<C> {
  return {
    async requestDidStart({ contextValue }) {
      return {
        async didEncounterErrors({ errors }) {
          for (const e of errors) {
            const original = unwrapResolverError(e);
            if (!isUnexpectedError(e.extensions?.code, original, e.message)) continue;
            // The original whatever its shape: a subgraph that is not ours may send plain objects.
            logFor(contextValue.correlationId ?? "unknown").error({ path: e.path, ...describeError(original) }, "unexpected error (masked)");
          }
        },
      };
    },
  };
}

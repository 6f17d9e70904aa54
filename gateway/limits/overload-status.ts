// HTTP 503 for an operation refused or stopped to protect the process's memory, so load balancers
// and clients treat it as "retry later / elsewhere" rather than as a broken query.
import type { ApolloServerPlugin } from "@apollo/server";
import { ErrorCode } from "../../platform/errors.js";

export function overloadStatusPlugin<C extends object>(): ApolloServerPlugin<C> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response }) {
          if (response.body.kind !== "single") return;
          if (response.body.singleResult.errors?.some((e) => e.extensions?.code === ErrorCode.SERVER_OVERLOADED)) response.http.status = 503;
        },
      };
    },
  };
}

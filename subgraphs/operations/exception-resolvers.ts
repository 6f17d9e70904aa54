// The exception queue's fields (Query.exceptions, exception; retry/resolve/discardException):
// thin, over the contributors in exceptions.ts. Back-office data: a customer's or business
// unit's token is refused.
import { refuseRowScoped } from "../../platform/auth/identity.js";
import { exceptionNotFound, exceptionQuery, mergeExceptionPages, parseExceptionId, type ExceptionPage } from "../../platform/exceptions/queue.js";
import { log } from "../../platform/telemetry/log.js";
import type { SubgraphContext } from "./context.js";
import { contributorsFor, operationsRawPayload, ownerOf } from "./exceptions.js";
import type { ExceptionResolvers, MutationResolvers, QueryResolvers } from "./generated/resolvers-types.js";

const WHAT = "the exception queue";

export const exceptionQueries: Pick<QueryResolvers, "exceptions" | "exception"> = {
  exceptions: async (_, { filter, first, after }, ctx) => {
    refuseRowScoped(ctx.identity, WHAT);
    const query = exceptionQuery(filter, first, after);
    const asked = contributorsFor(ctx.exceptionContributors(ctx), filter?.domain, query.kinds);
    const settled = await Promise.allSettled(asked.map((c) => c.list(query)));
    const pages: ExceptionPage[] = [];
    const unavailable: string[] = [];
    settled.forEach((s, i) => {
      if (s.status === "fulfilled") pages.push(s.value);
      else {
        unavailable.push(asked[i].domain);
        log.warn({ correlationId: ctx.correlationId, domain: asked[i].domain, error: String(s.reason) }, "exception queue: a domain did not answer");
      }
    });
    return mergeExceptionPages(pages, query, unavailable);
  },
  exception: async (_, { id }, ctx) => {
    refuseRowScoped(ctx.identity, WHAT);
    parseExceptionId(id);
    return ownerOf(ctx.exceptionContributors(ctx), id).get(id);
  },
};

export const exceptionMutations: Pick<MutationResolvers, "retryException" | "resolveException" | "discardException"> = {
  retryException: async (_, { id }, ctx) => {
    refuseRowScoped(ctx.identity, WHAT);
    return ownerOf(ctx.exceptionContributors(ctx), id).retry(id);
  },
  resolveException: async (_, { id, note }, ctx) => {
    refuseRowScoped(ctx.identity, WHAT);
    return ownerOf(ctx.exceptionContributors(ctx), id).settle(id, "RESOLVED", note);
  },
  discardException: async (_, { id, note }, ctx) => {
    refuseRowScoped(ctx.identity, WHAT);
    return ownerOf(ctx.exceptionContributors(ctx), id).settle(id, "DISCARDED", note);
  },
};

export const exceptionFields: ExceptionResolvers<SubgraphContext> = {
  // Another domain's records come with their payload; operations' own are read only when selected.
  rawPayload: (e, _, { db }) => (e.rawPayload !== undefined ? e.rawPayload : e.domain === "operations" ? operationsRawPayload(db, e) : null),
};

export { exceptionNotFound };

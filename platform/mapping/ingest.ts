// Mapping for ingest adapters: one MappingSession per inbound message (so its misses are its
// own), sharing the lookups of its batch. checkMappings wraps an adapter so that, after its map
// step, every missing mapping of the message is reported at once as a MAP dead letter.
import type { Db } from "../db/client.js";
import type { IngestHandler } from "../ingest/handlers.js";
import { MappingCache, MappingSession } from "./session.js";
import type { MappingPorts } from "./ports.js";

const BATCH = Symbol("mapping batch");
const sessions = new WeakMap<object, MappingSession>();
const caches = new WeakMap<object, Map<string, MappingCache>>();
const warningsByCommand = new WeakMap<object, string[]>();

/**
 * The session of the message whose map step received `scope`. `domain` names the ports (whose
 * data answers product and location questions), so two domains in one batch do not share answers.
 */
export function mappingSessionFor(db: Db, scope: object, system: string, domain: string, ports: () => MappingPorts): MappingSession {
  const existing = sessions.get(scope);
  if (existing) return existing;
  const batch = (scope as { [BATCH]?: object })[BATCH] ?? scope;
  let byDomain = caches.get(batch);
  if (!byDomain) caches.set(batch, (byDomain = new Map()));
  let cache = byDomain.get(domain);
  if (!cache) byDomain.set(domain, (cache = new MappingCache(db, ports())));
  const session = new MappingSession(cache, system);
  sessions.set(scope, session);
  return session;
}

/** The handler, with a map step that fails with every missing mapping at once (and only then). */
export function checkMappings<P, V, C>(handler: IngestHandler<P, V, C>): IngestHandler<P, V, C> {
  return {
    ...handler,
    async map(valid, db, scope, ctx) {
      const messageScope = { [BATCH]: scope };
      let command: C;
      try {
        command = await handler.map(valid, db, messageScope, ctx);
      } catch (err) {
        // An adapter that stopped on some other problem still reports what was missing until then.
        const session = sessions.get(messageScope);
        if (session?.misses.length) session.assertComplete();
        throw err;
      }
      const session = sessions.get(messageScope);
      session?.assertComplete();
      // Doubtful values that still mapped (a GS1 check digit) are recorded on the message.
      for (const w of session?.warningDetails ?? []) ctx.warn({ code: w.code, message: w.where ? `${w.message} (at ${w.where})` : w.message });
      if (session?.warnings.length && command && typeof command === "object") warningsByCommand.set(command, [...session.warnings]);
      return command;
    },
  };
}

/** Warnings the mapping of a message produced (a GTIN with a wrong check digit...), for the message's record. */
export const mappingWarningsOf = (command: unknown): string[] => (command && typeof command === "object" ? (warningsByCommand.get(command) ?? []) : []);

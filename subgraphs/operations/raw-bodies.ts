// Reading raw bodies without letting one request exhaust memory. Lists never load bodies; each
// raw/rawBase64 field reads only its slice, in SQL, batched per request, after reserving its
// bytes from the request's budget (shared by every alias and list item). A field that would go
// over is refused on its own with RAW_BUDGET_EXCEEDED; the rest of the answer stands.
import DataLoader from "dataloader";
import type { Db } from "../../platform/db/client.js";
import { DomainError, ErrorCode, invalidArgument } from "../../platform/errors.js";

export class RawBudget {
  private used = 0;
  constructor(readonly limit: number) {}

  reserve(bytes: number) {
    if (this.used + bytes > this.limit) {
      throw new DomainError(
        ErrorCode.RAW_BUDGET_EXCEEDED,
        `reading ${bytes} more bytes of raw bodies would exceed this request's budget of ${this.limit} bytes (${this.used} already read): ` +
          `ask for fewer messages, or read a large body in pages with raw(offset, length)`,
        { limit: this.limit, used: this.used, requested: bytes },
      );
    }
    this.used += bytes;
  }
}

interface SliceKey {
  id: string;
  offset: number;
  length: number;
}

/** One loader per request: slices of many messages in one query per distinct (offset, length). */
export function createRawSliceLoader(db: Db) {
  return new DataLoader<SliceKey, Buffer, string>(
    async (keys) => {
      const groups = new Map<string, SliceKey[]>();
      for (const k of keys) groups.set(`${k.offset}:${k.length}`, [...(groups.get(`${k.offset}:${k.length}`) ?? []), k]);
      const found = new Map<string, Buffer>();
      for (const group of groups.values()) {
        const { offset, length } = group[0];
        const rows = await db.$queryRaw<{ id: string; part: Uint8Array }[]>`
          SELECT "id", substring("raw" from ${offset + 1} for ${length}) AS "part"
          FROM "platform"."InboundMessage" WHERE "id" = ANY(${group.map((k) => k.id)})`;
        for (const r of rows) found.set(`${r.id}:${offset}:${length}`, Buffer.from(r.part));
      }
      return keys.map((k) => found.get(`${k.id}:${k.offset}:${k.length}`) ?? Buffer.alloc(0));
    },
    { cacheKeyFn: (k) => `${k.id}:${k.offset}:${k.length}` },
  );
}

export type RawSliceLoader = ReturnType<typeof createRawSliceLoader>;

/** The requested slice of a message's body, within the budget; null when the body was pruned. */
export async function readRawSlice(
  message: { id: string; sizeBytes: number; rawPurgedAt: Date | null },
  args: { offset?: number | null; length?: number | null },
  budget: RawBudget,
  loader: RawSliceLoader,
): Promise<Buffer | null> {
  const offset = args.offset ?? 0;
  if (!Number.isInteger(offset) || offset < 0) throw invalidArgument("offset", `must be a whole number >= 0, got ${offset}`);
  if (args.length != null && (!Number.isInteger(args.length) || args.length < 0))
    throw invalidArgument("length", `must be a whole number >= 0, got ${args.length}`);
  if (message.rawPurgedAt) return null;
  const length = Math.max(0, Math.min(args.length ?? message.sizeBytes, message.sizeBytes - offset));
  budget.reserve(length); // before reading: what is refused is never loaded
  if (length === 0) return Buffer.alloc(0);
  return loader.load({ id: message.id, offset, length });
}

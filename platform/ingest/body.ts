// Reads a request body as raw bytes with a size limit. Unlike a parser middleware, it keeps what
// arrived when the limit is exceeded, so an oversized message can still be dead-lettered.
import type { IncomingMessage } from "node:http";

export interface RawBody {
  bytes: Buffer;
  /** Total bytes the client sent (or at least this many, when reading stopped). */
  totalBytes: number;
  oversized: boolean;
}

export function readRawBody(req: IncomingMessage, limit: number): Promise<RawBody> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let kept = 0;
    let total = 0;
    req.on("data", (chunk: Buffer) => {
      total += chunk.length;
      if (kept < limit) {
        const part = chunk.subarray(0, limit - kept);
        chunks.push(part);
        kept += part.length;
      }
      // Past ten times the limit, stop reading: the sender is not going to be told anything else.
      if (total > limit * 10) {
        req.pause();
        resolve({ bytes: Buffer.concat(chunks), totalBytes: total, oversized: true });
      }
    });
    req.on("end", () => resolve({ bytes: Buffer.concat(chunks), totalBytes: total, oversized: total > limit }));
    req.on("error", reject);
  });
}

export function parseSize(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(b|kb|mb|gb)?$/i.exec(text.trim());
  if (!m) throw new Error(`not a size: "${text}" (use e.g. 512kb, 5mb)`);
  const unit = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 }[(m[2] ?? "b").toLowerCase() as "b"];
  return Math.floor(Number(m[1]) * unit);
}

// Group commit for ingestion requests. Requests that arrive while the process is busy storing and
// applying earlier ones are stored and applied together, in arrival order, as one batch: one
// INSERT for their raw messages, one transaction for their changes. A request that finds the
// process idle goes at once, so nothing waits for a batch to fill; under load the batches grow by
// themselves, and the statements per event fall with them (many single-event senders cost about
// what one sender of batches costs).
//
// Nothing is weakened: every message is stored before it is applied, in the order requests
// arrived; a message that fails is applied on its own (processMessages), so it cannot fail its
// batch-mates; each request is answered with its own messages' outcomes once its batch committed.
import type { Db } from "../db/client.js";
import type { InboundMessage } from "../db/generated/client.js";
import type { HandlerRegistry } from "./handlers.js";
import { receiveMessages, type IncomingMessage, type ReceivedMessage } from "./message-store.js";
import { processMessages, processReceivedMessages, type ProcessOutcome } from "./pipeline.js";

export interface CoalescedResult {
  /** This request's messages as stored, in its order. */
  received: ReceivedMessage[];
  /** Outcomes of every message processed in the batch (a repeat's original may be another request's). */
  processed: Map<string, ProcessOutcome>;
}

export interface CoalescerOptions {
  /** Batches in flight at once (INGEST_LANES): more lets a server with many cores apply them in parallel. */
  lanes: number;
  /** Most messages in one batch; a request larger than this goes alone. */
  maxMessages: number;
}

interface Pending {
  incoming: IncomingMessage[];
  resolve: (result: CoalescedResult) => void;
  reject: (err: unknown) => void;
}

export class IngestCoalescer {
  private queue: Pending[] = [];
  private inFlight = 0;

  constructor(
    private readonly db: Db,
    private readonly registry: HandlerRegistry,
    private readonly options: CoalescerOptions = { lanes: 1, maxMessages: 1000 },
  ) {}

  /** Stores and processes one request's messages (with whatever else is waiting). */
  submit(incoming: IncomingMessage[]): Promise<CoalescedResult> {
    return new Promise((resolve, reject) => {
      this.queue.push({ incoming, resolve, reject });
      this.pump();
    });
  }

  private pump() {
    while (this.inFlight < this.options.lanes && this.queue.length) {
      const batch: Pending[] = [this.queue.shift()!];
      let size = batch[0].incoming.length;
      while (this.queue.length && size + this.queue[0].incoming.length <= this.options.maxMessages) {
        size += this.queue[0].incoming.length;
        batch.push(this.queue.shift()!);
      }
      this.inFlight++;
      void this.run(batch).finally(() => {
        this.inFlight--;
        this.pump();
      });
    }
  }

  private async run(batch: Pending[]) {
    try {
      const incoming = batch.flatMap((p) => p.incoming);
      const received = await receiveMessages(this.db, incoming);
      // In arrival order: deltas to one position apply in the order they were sent. The rows and
      // bodies are in hand (receiveMessages returns them in the order given): nothing is read back.
      const fresh = received.flatMap((r, i) => (r.message.state === "RECEIVED" ? [{ ...r.message, raw: incoming[i].raw as InboundMessage["raw"] }] : []));
      const processed = new Map((await processReceivedMessages(this.db, this.registry, fresh)).map((o) => [o.id, o]));
      if (batch.length > 1) await this.isolateFailures(batch, received, processed);
      let offset = 0;
      for (const p of batch) {
        p.resolve({ received: received.slice(offset, offset + p.incoming.length), processed });
        offset += p.incoming.length;
      }
    } catch (err) {
      for (const p of batch) p.reject(err);
    }
  }

  /**
   * A transient failure (a lock timeout, say) fails a whole batch at once, which is right for one
   * request's batch but must not fail the requests it was merely coalesced with: each request
   * that came out FAILED is tried again on its own.
   */
  private async isolateFailures(batch: Pending[], received: ReceivedMessage[], processed: Map<string, ProcessOutcome>) {
    let offset = 0;
    for (const p of batch) {
      const failed = received.slice(offset, offset + p.incoming.length).filter((r) => processed.get(r.message.id)?.state === "FAILED");
      offset += p.incoming.length;
      if (!failed.length) continue;
      for (const o of await processMessages(
        this.db,
        this.registry,
        failed.map((r) => r.message.id),
      ))
        processed.set(o.id, o);
    }
  }
}

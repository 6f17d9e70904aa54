// A bounded queue behind an AsyncIterator that ends as soon as the consumer calls return(), even
// while a next() is pending (an async generator blocked on await would not run its cleanup until
// the next value arrived, leaking the listener of an idle subscription).
export class Channel<T> implements AsyncIterableIterator<T> {
  private queue: T[] = [];
  private waiting: ((r: IteratorResult<T>) => void) | null = null;
  private closed = false;

  constructor(private readonly onClose: () => void) {}

  get length() {
    return this.queue.length;
  }

  get isClosed() {
    return this.closed;
  }

  /** Up to n queued items, oldest first, without taking them. */
  peek(n: number): T[] {
    return this.queue.slice(0, n);
  }

  push(item: T) {
    if (this.closed) return;
    if (this.waiting) {
      const w = this.waiting;
      this.waiting = null;
      w({ value: item, done: false });
    } else this.queue.push(item);
  }

  /** Drops everything queued and queues `last` as the final item; the channel ends after it. */
  finishWith(last: T) {
    this.queue = [];
    this.push(last);
    this.endAfterQueue = true;
  }

  private endAfterQueue = false;

  next(): Promise<IteratorResult<T>> {
    if (this.queue.length) {
      const value = this.queue.shift()!;
      if (this.endAfterQueue && !this.queue.length) this.close();
      return Promise.resolve({ value, done: false });
    }
    if (this.closed || this.endAfterQueue) {
      this.close();
      return Promise.resolve({ value: undefined, done: true });
    }
    return new Promise((resolve) => (this.waiting = resolve));
  }

  return(): Promise<IteratorResult<T>> {
    this.close();
    return Promise.resolve({ value: undefined, done: true });
  }

  throw(err: unknown): Promise<IteratorResult<T>> {
    this.close();
    return Promise.reject(err);
  }

  [Symbol.asyncIterator]() {
    return this;
  }

  private close() {
    if (this.closed) return;
    this.closed = true;
    this.queue = [];
    this.onClose();
    if (this.waiting) {
      const w = this.waiting;
      this.waiting = null;
      w({ value: undefined, done: true });
    }
  }
}

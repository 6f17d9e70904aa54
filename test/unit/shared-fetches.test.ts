// SharedFetches: identical concurrent requests go once; a caller that stops waiting does not stop
// the others; the request is aborted only when nobody waits any more; nothing is cached after; a
// caller gets a copy of its own when others share the answer.
import { describe, expect, it } from "vitest";
import { isMutation, SharedFetches } from "../../gateway/data-sources/shared-fetches.js";
import { subgraphFetchesShared } from "../../platform/telemetry/metrics.js";

interface RawAnswer {
  status: number;
  text: string;
}

/** A subgraph whose answers the test hands out, recording each request's abort signal. */
function controllableSend() {
  const calls: { signal: AbortSignal; answer: (a: RawAnswer) => void }[] = [];
  const send = (signal: AbortSignal) => new Promise<RawAnswer>((answer) => calls.push({ signal, answer }));
  return { calls, send };
}
const shared = async () => (await subgraphFetchesShared.get()).values.find((v) => v.labels.subgraph === "unit")?.value ?? 0;

describe("SharedFetches", () => {
  it("sends identical concurrent requests once and gives every caller the answer; another key goes on its own", async () => {
    const fetches = new SharedFetches<RawAnswer>("unit");
    const { calls, send } = controllableSend();
    const before = await shared();
    const a = fetches.run("k1", undefined, send);
    const b = fetches.run("k1", undefined, send);
    const c = fetches.run("k2", undefined, send);
    expect(calls).toHaveLength(2);
    expect(await shared()).toBe(before + 1);
    calls[0].answer({ status: 200, text: '{"data":{"n":1}}' });
    calls[1].answer({ status: 200, text: '{"data":{"n":2}}' });
    expect(await a).toEqual({ status: 200, text: '{"data":{"n":1}}' });
    expect(await b).toEqual({ status: 200, text: '{"data":{"n":1}}' });
    expect(await c).toEqual({ status: 200, text: '{"data":{"n":2}}' });
    // Settled: the next identical request is sent again (sharing, not caching).
    void fetches.run("k1", undefined, send);
    expect(calls).toHaveLength(3);
  });

  it("lets a caller stop waiting without failing the others, and aborts the request when nobody waits", async () => {
    const fetches = new SharedFetches<RawAnswer>("unit");
    const { calls, send } = controllableSend();
    const first = new AbortController();
    const second = new AbortController();
    const a = fetches.run("k", first.signal, send);
    const b = fetches.run("k", second.signal, send);
    first.abort(new Error("first caller timed out"));
    await expect(a).rejects.toThrow("first caller timed out");
    expect(calls[0].signal.aborted).toBe(false);
    calls[0].answer({ status: 200, text: "ok" });
    expect(await b).toEqual({ status: 200, text: "ok" });

    const third = new AbortController();
    const c = fetches.run("k", third.signal, send);
    expect(calls).toHaveLength(2);
    third.abort(new Error("gone"));
    await expect(c).rejects.toThrow("gone");
    expect(calls[1].signal.aborted).toBe(true);
    expect(fetches.size).toBe(0);
  });

  it("gives every caller the failure of the shared request", async () => {
    const fetches = new SharedFetches<RawAnswer>("unit");
    const failing = () => Promise.reject(new Error("ECONNREFUSED"));
    const [a, b] = [fetches.run("k", undefined, failing), fetches.run("k", undefined, failing)];
    await expect(a).rejects.toThrow("ECONNREFUSED");
    await expect(b).rejects.toThrow("ECONNREFUSED");
  });

  it("hands an only caller the answer itself, and every one of several callers a copy of its own", async () => {
    const copies: object[] = [];
    const fetches = new SharedFetches<{ rows: number[] }>("unit", (a) => {
      const copy = structuredClone(a);
      copies.push(copy);
      return copy;
    });
    const original = { rows: [1, 2] };
    const alone = await fetches.run("k", undefined, async () => original);
    expect(alone).toBe(original);
    expect(copies).toHaveLength(0);

    let answer!: (a: { rows: number[] }) => void;
    const send = () => new Promise<{ rows: number[] }>((resolve) => (answer = resolve));
    const [a, b] = [fetches.run("k", undefined, send), fetches.run("k", undefined, send)];
    const second = { rows: [3] };
    answer(second);
    const [ra, rb] = await Promise.all([a, b]);
    // Each caller writes into its own answer without the other seeing it, nor the original changing.
    ra.rows.push(4);
    expect(rb.rows).toEqual([3]);
    expect(second.rows).toEqual([3]);
    expect(ra).not.toBe(second);
    expect(copies).toHaveLength(2);
  });

  it("tells mutations from queries by the operation's first word", () => {
    expect(isMutation("mutation { placeOrder { id } }")).toBe(true);
    expect(isMutation("  mutation Place($i: In!) { placeOrder(input: $i) { id } }")).toBe(true);
    expect(isMutation("query { mutationLog { id } }")).toBe(false);
    expect(isMutation("{ order(id: 1) { id } }")).toBe(false);
  });
});

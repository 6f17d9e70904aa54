// Waits for a condition instead of sleeping: polls until `check` returns a value that is not
// null/false, or fails with the last value seen.
export async function waitFor<T>(check: () => Promise<T | null | false | undefined>, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    const value = await check();
    if (value !== null && value !== false && value !== undefined) return value;
    last = value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (last: ${JSON.stringify(last)})`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

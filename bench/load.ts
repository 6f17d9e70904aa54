// Load generation with autocannon and the summary we record: requests/s, p50, p99, errors, and of
// those the requests that timed out (autocannon gave up after 10 s, or the server answered
// OPERATION_TIMEOUT) and the answers that carried GraphQL errors.
import autocannon from "autocannon";

export interface LoadResult {
  name: string;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  /** Connection errors and requests autocannon gave up on (its 10 s timeout). */
  errors: number;
  non2xx: number;
  /** Requests autocannon gave up on after 10 s without an answer (counted in errors too). */
  timeouts: number;
  /** Answers (any status) with GraphQL errors. */
  graphqlErrors: number;
  /** Of those, answers with an OPERATION_TIMEOUT error (the server cancelled the operation). */
  operationTimeouts: number;
}

export interface LoadOptions {
  connections: number;
  durationSeconds: number;
}

/** POSTs GraphQL requests; `body(i)` builds the i-th request so ids can rotate. */
export async function runLoad(
  name: string,
  url: string,
  body: (i: number) => object,
  options: LoadOptions,
  headers: Record<string, string> = {},
): Promise<LoadResult> {
  let i = 0;
  let graphqlErrors = 0;
  let operationTimeouts = 0;
  // Cheap on the happy path: a body is parsed only when it names errors.
  const onResponse = (_status: number, body: string) => {
    if (!body.includes('"errors"')) return;
    graphqlErrors++;
    if (body.includes('"OPERATION_TIMEOUT"')) operationTimeouts++;
  };
  const result = await autocannon({
    url,
    connections: options.connections,
    duration: options.durationSeconds,
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    requests: [{ setupRequest: (req) => ({ ...req, body: JSON.stringify(body(i++)) }), onResponse }],
  });
  return {
    name,
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    timeouts: result.timeouts,
    graphqlErrors,
    operationTimeouts,
  };
}

// What a log line says about an error of any shape: an Error's message and stack, a GraphQL error
// object from a subgraph that is not ours (a plain object, which String() turns into
// "[object Object]"), or any other value, as JSON.
export function describeError(error: unknown): { error: string; stack?: string; extensions?: unknown } {
  if (error instanceof Error) {
    const ext = (error as { extensions?: unknown }).extensions;
    return {
      error: `${error.name === "Error" || error.name === "GraphQLError" ? "" : `${error.name}: `}${error.message}`,
      stack: error.stack,
      ...(ext && Object.keys(ext).length ? { extensions: ext } : {}),
    };
  }
  if (error && typeof error === "object") {
    const message = (error as { message?: unknown }).message;
    let json: string;
    try {
      json = JSON.stringify(error);
    } catch {
      json = Object.prototype.toString.call(error);
    }
    return {
      error: typeof message === "string" ? message : json,
      ...((error as { extensions?: unknown }).extensions ? { extensions: (error as { extensions?: unknown }).extensions } : {}),
    };
  }
  return { error: String(error) };
}

// A check an ingestion request must pass before its body is stored: a source's signature (Shopify's
// HMAC), later an API key or token. Pure: bytes and headers in, a verdict out.
export type AuthVerdict = { ok: true; principal: string } | { ok: false; reason: string };

export type Authenticator = (body: Buffer, header: (name: string) => string | undefined) => AuthVerdict;

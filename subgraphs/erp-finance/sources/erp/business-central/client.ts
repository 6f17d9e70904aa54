// A small HTTP client for a Business Central API v2.0 service (or anything that speaks it, such
// as the stand-in): OAuth2 client-credentials bearer tokens (cached until shortly before they
// expire, fetched again once on a 401), OData collections (`value` arrays, `@odata.nextLink`
// paging), `If-Match` with `@odata.etag`, and one deadline per request.
//
// Errors: BcHttpError carries the status and BC's own { error: { code, message } }; anything
// that never got an answer (refused, reset, timed out) is BcNetworkError.

export interface BcClientOptions {
  /** Service root before /api/v2.0: https://api.businesscentral.dynamics.com/v2.0/<tenant>/<environment>. */
  baseUrl: string;
  /** companies(<id>); null: the first company listed. */
  companyId: string | null;
  /** OAuth2 token endpoint (https://login.microsoftonline.com/<tenant>/oauth2/v2.0/token). */
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  /** https://api.businesscentral.dynamics.com/.default for the real service. */
  scope: string | null;
  /** Deadline of each HTTP request, token requests included. */
  timeoutMs: number;
}

export class BcHttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string | null,
    message: string,
  ) {
    super(message);
  }
}

export class BcNetworkError extends Error {}

export interface BcResponse<T = Record<string, unknown>> {
  status: number;
  body: T;
  etag: string | null;
}

/** An OData string literal: single quotes doubled. */
export const odataString = (value: string) => `'${value.replace(/'/g, "''")}'`;

export class BcClient {
  private token: { value: string; expiresAt: number } | null = null;
  private companyPath: string | null = null;

  constructor(private readonly options: BcClientOptions) {}

  private async fetchWithDeadline(url: string, init: RequestInit): Promise<Response> {
    try {
      return await fetch(url, { ...init, signal: AbortSignal.timeout(this.options.timeoutMs) });
    } catch (err) {
      const e = err as Error & { cause?: { code?: string } };
      const why = e.name === "TimeoutError" || e.name === "AbortError" ? `no answer within ${this.options.timeoutMs} ms` : (e.cause?.code ?? e.message);
      throw new BcNetworkError(`${init.method ?? "GET"} ${new URL(url).pathname}: ${why}`);
    }
  }

  private async accessToken(force = false): Promise<string> {
    if (!force && this.token && this.token.expiresAt > Date.now()) return this.token.value;
    const form = new URLSearchParams({ grant_type: "client_credentials", client_id: this.options.clientId, client_secret: this.options.clientSecret });
    if (this.options.scope) form.set("scope", this.options.scope);
    const res = await this.fetchWithDeadline(this.options.tokenUrl, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: form,
    });
    const body = (await res.json().catch(() => ({}))) as { access_token?: string; expires_in?: number; error?: string; error_description?: string };
    if (!res.ok || !body.access_token) {
      throw new BcHttpError(
        res.status,
        body.error ?? null,
        `token request refused (${res.status}): ${body.error_description ?? body.error ?? "no access_token in the answer"}`,
      );
    }
    // Renewed a minute before it expires, so a request never leaves with a token about to lapse.
    this.token = { value: body.access_token, expiresAt: Date.now() + Math.max(0, (body.expires_in ?? 3600) - 60) * 1000 };
    return this.token.value;
  }

  /** A request to the API; `path` is relative to the company (salesInvoices...) or absolute from /api (starts with "/"). */
  async request<T = Record<string, unknown>>(
    method: string,
    path: string,
    options: { body?: unknown; ifMatch?: string; query?: Record<string, string> } = {},
  ): Promise<BcResponse<T>> {
    const url = path.startsWith("http")
      ? new URL(path)
      : new URL(`${this.options.baseUrl.replace(/\/$/, "")}${path.startsWith("/") ? path : `${await this.company()}/${path}`}`);
    for (const [k, v] of Object.entries(options.query ?? {})) url.searchParams.set(k, v);
    for (let attempt = 0; ; attempt++) {
      const headers: Record<string, string> = { authorization: `Bearer ${await this.accessToken(attempt > 0)}`, accept: "application/json" };
      if (options.body !== undefined) headers["content-type"] = "application/json";
      if (options.ifMatch) headers["if-match"] = options.ifMatch;
      const res = await this.fetchWithDeadline(url.toString(), {
        method,
        headers,
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
      });
      // A token the service no longer accepts (revoked, clock skew): one fresh token, then give up.
      if (res.status === 401 && attempt === 0) {
        await res.body?.cancel();
        continue;
      }
      const text = await res.text();
      let body: unknown = {};
      if (text) {
        try {
          body = JSON.parse(text);
        } catch {
          body = { raw: text.slice(0, 500) };
        }
      }
      if (!res.ok) {
        const error = (body as { error?: { code?: string; message?: string } }).error;
        throw new BcHttpError(res.status, error?.code ?? null, error?.message ?? `HTTP ${res.status} from ${method} ${url.pathname}`);
      }
      const etag = (body as { "@odata.etag"?: string })["@odata.etag"] ?? res.headers.get("etag");
      return { status: res.status, body: body as T, etag };
    }
  }

  /** Every record of a collection, following @odata.nextLink page by page. */
  async list<T>(path: string, query: Record<string, string> = {}): Promise<T[]> {
    const all: T[] = [];
    let page = await this.request<{ value: T[]; "@odata.nextLink"?: string }>("GET", path, { query });
    for (let pages = 1; ; pages++) {
      if (!Array.isArray(page.body.value)) throw new BcHttpError(page.status, null, `GET ${path}: the answer has no "value" array`);
      all.push(...page.body.value);
      const next = page.body["@odata.nextLink"];
      if (!next) return all;
      if (pages >= 10_000) throw new BcHttpError(page.status, null, `GET ${path}: more than 10,000 pages; giving up`);
      page = await this.request("GET", next);
    }
  }

  /** "/api/v2.0/companies(<id>)": the configured company, else the first the service lists. */
  private async company(): Promise<string> {
    if (this.companyPath) return this.companyPath;
    let id = this.options.companyId;
    if (!id) {
      const { body } = await this.request<{ value: { id: string }[] }>("GET", "/api/v2.0/companies");
      id = body.value?.[0]?.id ?? null;
      if (!id) throw new BcHttpError(404, "NoCompany", "the service lists no company");
    }
    this.companyPath = `/api/v2.0/companies(${id})`;
    return this.companyPath;
  }
}

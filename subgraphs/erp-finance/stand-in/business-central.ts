// A stand-in for a cloud ERP: real HTTP on 127.0.0.1 speaking the JSON of Microsoft Dynamics 365
// Business Central's API v2.0 (companies, customers, paymentTerms, salesOrders + salesOrderLines,
// salesInvoices + salesInvoiceLines, salesCreditMemos + salesCreditMemoLines, the bound action
// Microsoft.NAV.post), with its OData conventions: `value` arrays, `@odata.etag` and If-Match,
// `$filter` (eq, ne, gt, ge, lt, le joined by and), `$top`, `$expand`, server-driven paging with
// `@odata.nextLink`, errors as { error: { code, message } }; and OAuth2 client-credentials bearer
// tokens. `npm start` runs it (ERP_STANDIN) so the default setup posts over real HTTP; tests and
// the benchmark start their own. Its state is in memory.
//
// What it checks, as the real ERP would: a sales document names an existing customer; it is not
// posted while the customer is blocked ("Invoice" or "All"); each externalDocumentNumber exists
// once among documents of a kind that are not cancelled (the idempotency key: a second POST with
// the same one is refused with 409 and the existing document's number). Items are not checked.
//
// It can be told to fail (faults): answer a status (503, 500, 429, 400...) before doing anything,
// answer late (after doing the work, so a client that timed out finds the work done), or do the
// work and hold the answer until released (a client that dies waiting).
import http from "node:http";
import { randomBytes, randomUUID } from "node:crypto";
import express, { type Request, type Response } from "express";

export interface StandInCredentials {
  clientId: string;
  clientSecret: string;
}

export interface BusinessCentralStandInOptions {
  port?: number;
  host?: string;
  credentials?: StandInCredentials;
  /** Records per page before @odata.nextLink (default 20, as small as that to exercise paging). */
  pageSize?: number;
  /** Lifetime of an access token in seconds (default 3599). */
  tokenTtlSeconds?: number;
  companyName?: string;
}

export interface Fault {
  /** Which requests: a method and/or a fragment of the path (after /companies(<id>)/), e.g. "salesInvoices", "Microsoft.NAV.post". */
  method?: string;
  path?: string;
  /** Answer this status without doing anything (503, 500, 429, 400...). */
  status?: number;
  message?: string;
  /** Do the work, then wait this long before answering (a slow ERP: a client with a shorter deadline finds the work done when it asks again). */
  delayMs?: number;
  /** Do the work and never answer until release() (a client process that dies waiting). */
  hold?: boolean;
  /** How many matching requests it applies to (default: until cleared). */
  times?: number;
  /** Only every n-th matching request (a flaky ERP: 2 fails every other one); default 1. */
  every?: number;
  /** Also the token endpoint (default false: faults are for the API). */
  includeToken?: boolean;
}

interface Line {
  id: string;
  documentId: string;
  sequence: number;
  lineType: string;
  lineObjectNumber: string;
  description: string;
  unitOfMeasureCode: string;
  quantity: number;
  unitPrice: number;
  shipmentDate?: string;
  amountExcludingTax: number;
}

interface Rec {
  id: string;
  version: number;
  lastModifiedDateTime: string;
  [k: string]: unknown;
}

type DocKind = "salesInvoices" | "salesCreditMemos" | "salesOrders";
const LINES: Record<DocKind, string> = { salesInvoices: "salesInvoiceLines", salesCreditMemos: "salesCreditMemoLines", salesOrders: "salesOrderLines" };

export interface StandInRequestLogEntry {
  method: string;
  /** The resource path after the company: "salesInvoices", "salesInvoices(<id>)/Microsoft.NAV.post"... */
  path: string;
  status: number;
  at: number;
}

const D = (n: number) => Math.round(n * 100) / 100;

export class BusinessCentralStandIn {
  readonly companyId = randomUUID();
  private server: http.Server | null = null;
  private readonly tokens = new Map<string, number>();
  readonly customers = new Map<string, Rec>();
  readonly paymentTerms = new Map<string, Rec>();
  readonly documents: Record<DocKind, Map<string, Rec>> = { salesInvoices: new Map(), salesCreditMemos: new Map(), salesOrders: new Map() };
  readonly lines = new Map<string, Line[]>();
  readonly requestLog: StandInRequestLogEntry[] = [];
  private faults: (Fault & { left: number; seen: number })[] = [];
  private held: (() => void)[] = [];
  private clock = 0;
  private counters = { customer: 10000, draftInvoice: 100001, postedInvoice: 103001, draftCredit: 1001, postedCredit: 104001, order: 101001 };
  readonly credentials: StandInCredentials;
  private readonly pageSize: number;

  constructor(private readonly options: BusinessCentralStandInOptions = {}) {
    this.credentials = options.credentials ?? { clientId: "graph-stand-in", clientSecret: randomBytes(16).toString("hex") };
    this.pageSize = options.pageSize ?? 20;
    for (const [code, formula] of [
      ["NET30", "30D"],
      ["NET45", "45D"],
      ["2/10NET30", "30D"],
      ["COD", "0D"],
    ]) {
      this.touch(this.paymentTerms, {
        id: randomUUID(),
        code,
        displayName: code,
        dueDateCalculation: formula,
        discountDateCalculation: "",
        discountPercent: 0,
        calculateDiscountOnCreditMemos: false,
      });
    }
  }

  /** http://127.0.0.1:<port>/v2.0/stand-in/production: the service root, as for the real service /v2.0/<tenant>/<environment>. */
  baseUrl = "";
  tokenUrl = "";

  async start(): Promise<this> {
    const app = express();
    app.disable("x-powered-by");
    app.post("/stand-in/oauth2/v2.0/token", express.urlencoded({ extended: false }), (req, res) => this.withFaults(req, res, true, () => this.token(req, res)));
    app.use("/v2.0/:tenant/:environment/api/v2.0", express.json({ limit: "5mb" }), (req, res) => this.withFaults(req, res, false, () => this.api(req, res)));
    app.use((req, res) =>
      res.status(404).json({ error: { code: "BadRequest_NotFound", message: `No HTTP resource was found that matches the request URI ${req.path}` } }),
    );
    this.server = http.createServer(app);
    await new Promise<void>((resolve, reject) => {
      this.server!.once("error", reject);
      this.server!.listen(this.options.port ?? 0, this.options.host ?? "127.0.0.1", () => resolve());
    });
    const address = this.server.address() as { port: number; address: string };
    const root = `http://${this.options.host ?? "127.0.0.1"}:${address.port}`;
    this.baseUrl = `${root}/v2.0/stand-in/production`;
    this.tokenUrl = `${root}/stand-in/oauth2/v2.0/token`;
    return this;
  }

  async stop() {
    this.release();
    if (!this.server) return;
    const server = this.server;
    this.server = null;
    server.closeAllConnections?.();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** What a client needs: base URL, token URL, credentials, company. */
  endpoint() {
    return {
      baseUrl: this.baseUrl,
      tokenUrl: this.tokenUrl,
      clientId: this.credentials.clientId,
      clientSecret: this.credentials.clientSecret,
      scope: null,
      companyId: this.companyId,
    };
  }

  // ---- faults

  fail(fault: Fault) {
    this.faults.push({ ...fault, left: fault.times ?? Number.POSITIVE_INFINITY, seen: 0 });
  }

  clearFaults() {
    this.faults = [];
  }

  /** Answers every held request (their clients may be gone). */
  release() {
    const held = this.held;
    this.held = [];
    for (const r of held) r();
  }

  get heldCount() {
    return this.held.length;
  }

  private async withFaults(req: Request, res: Response, isToken: boolean, handle: () => void) {
    const path = isToken ? "token" : this.resourcePath(req);
    const fault = this.faults.find(
      (f) =>
        f.left > 0 &&
        (!isToken || f.includeToken) &&
        (!f.method || f.method === req.method) &&
        (!f.path || path.includes(f.path)) &&
        ++f.seen % (f.every ?? 1) === 0,
    );
    const original = res.json.bind(res);
    const log = (status: number) => this.requestLog.push({ method: req.method, path, status, at: Date.now() });
    if (fault) fault.left--;
    if (fault?.status) {
      log(fault.status);
      res.status(fault.status);
      if (fault.status === 503 || fault.status === 429) res.setHeader("retry-after", "1");
      original({
        error: {
          code: fault.status >= 500 ? "ServiceUnavailable" : fault.status === 429 ? "TooManyRequests" : "BadRequest",
          message: fault.message ?? `The stand-in was told to answer ${fault.status}.`,
        },
      });
      return;
    }
    if (fault?.delayMs || fault?.hold) {
      // The work happens now; only the answer waits.
      res.json = ((body: unknown) => {
        const send = () => {
          if (!res.writableEnded && !res.destroyed) original(body);
        };
        if (fault.hold) this.held.push(send);
        else setTimeout(send, fault.delayMs);
        return res;
      }) as Response["json"];
      const end = res.end.bind(res);
      res.end = ((...args: Parameters<Response["end"]>) => {
        const send = () => {
          if (!res.writableEnded && !res.destroyed) end(...args);
        };
        if (fault.hold) this.held.push(send);
        else setTimeout(send, fault.delayMs);
        return res;
      }) as Response["end"];
    }
    res.on("finish", () => log(res.statusCode));
    try {
      handle();
    } catch (err) {
      res.status(500);
      original({ error: { code: "Internal_ServerError", message: String(err) } });
    }
  }

  private resourcePath(req: Request): string {
    return (
      decodeURIComponent(req.path)
        .replace(/^\/companies\([^)]*\)\/?/, "")
        .replace(/^\//, "") || "companies"
    );
  }

  // ---- OAuth2

  private token(req: Request, res: Response) {
    const body = req.body as Record<string, string>;
    if (body.grant_type !== "client_credentials")
      return void res.status(400).json({ error: "unsupported_grant_type", error_description: "only client_credentials is supported" });
    if (body.client_id !== this.credentials.clientId || body.client_secret !== this.credentials.clientSecret) {
      return void res.status(401).json({ error: "invalid_client", error_description: "AADSTS7000215: Invalid client secret provided." });
    }
    const token = randomBytes(24).toString("base64url");
    const ttl = this.options.tokenTtlSeconds ?? 3599;
    this.tokens.set(token, Date.now() + ttl * 1000);
    res.json({ token_type: "Bearer", expires_in: ttl, ext_expires_in: ttl, access_token: token });
  }

  /** Makes every token issued so far invalid (a test of the client's renewal). */
  revokeTokens() {
    this.tokens.clear();
  }

  // ---- the API

  private error(res: Response, status: number, code: string, message: string) {
    res.status(status).json({ error: { code, message: `${message}  CorrelationId:  ${randomUUID()}.` } });
  }

  private api(req: Request, res: Response) {
    const auth = req.header("authorization") ?? "";
    const token = /^Bearer (.+)$/.exec(auth)?.[1];
    const expires = token ? this.tokens.get(token) : undefined;
    if (!expires || expires < Date.now()) return this.error(res, 401, "Authentication_InvalidCredentials", "The server has rejected the client credentials.");
    const path = decodeURIComponent(req.path);
    if (path === "/companies" || path === "/companies/") {
      return void res.json({
        "@odata.context": `${this.baseUrl}/api/v2.0/$metadata#companies`,
        value: [
          {
            id: this.companyId,
            systemVersion: "24.0",
            name: this.options.companyName ?? "CRONUS USA, Inc.",
            displayName: this.options.companyName ?? "CRONUS USA, Inc.",
            businessProfileId: "",
          },
        ],
      });
    }
    const m = /^\/companies\(([^)]+)\)\/([A-Za-z]+)(?:\(([^)]+)\))?(?:\/(Microsoft\.NAV\.[A-Za-z]+|[A-Za-z]+))?\/?$/.exec(path);
    if (!m) return this.error(res, 404, "BadRequest_NotFound", `No HTTP resource was found that matches the request URI ${path}`);
    const [, company, entity, id, sub] = m;
    if (company !== this.companyId) return this.error(res, 404, "BadRequest_NotFound", `The company ${company} does not exist`);
    if (entity === "customers") return this.customersApi(req, res, id);
    if (entity === "paymentTerms") return this.simpleApi(req, res, this.paymentTerms, "paymentTerms", id);
    if (entity === "salesInvoices" || entity === "salesCreditMemos" || entity === "salesOrders") return this.documentsApi(req, res, entity, id, sub);
    return this.error(res, 404, "BadRequest_NotFound", `The entity set ${entity} is not supported by the stand-in`);
  }

  private etag(r: Rec) {
    return `W/"${Buffer.from(`${r.id}:${r.version}`).toString("base64")}"`;
  }

  private now(): string {
    // Strictly increasing, so "modified since" cursors never miss a change made in the same millisecond.
    this.clock = Math.max(Date.now(), this.clock + 1);
    return new Date(this.clock).toISOString();
  }

  private touch(map: Map<string, Rec>, values: Record<string, unknown>): Rec {
    const id = (values.id as string) ?? randomUUID();
    const before = map.get(id);
    const rec: Rec = { ...before, ...values, id, version: (before?.version ?? 0) + 1, lastModifiedDateTime: this.now() };
    map.set(id, rec);
    return rec;
  }

  private view(r: Rec, extra: Record<string, unknown> = {}) {
    const { version: _v, ...rest } = r;
    return { "@odata.etag": this.etag(r), ...rest, ...extra };
  }

  private checkIfMatch(req: Request, res: Response, r: Rec, required: boolean): boolean {
    const ifMatch = req.header("if-match");
    if (!ifMatch) {
      if (required) this.error(res, 428, "Request_PreconditionRequired", "An If-Match header is required to change this record.");
      return !required;
    }
    if (ifMatch !== "*" && ifMatch !== this.etag(r)) {
      this.error(res, 412, "Request_EntityChanged", "Could not save the changes because the record was changed by another user. Refresh and try again.");
      return false;
    }
    return true;
  }

  private page(req: Request, res: Response, entitySet: string, rows: Record<string, unknown>[]) {
    const top = req.query.$top ? Number(req.query.$top) : undefined;
    const skip = Number(req.query.$skiptoken ?? req.query.$skip ?? 0);
    const limited = top !== undefined ? rows.slice(0, top) : rows;
    const pageRows = limited.slice(skip, skip + this.pageSize);
    const body: Record<string, unknown> = { "@odata.context": `${this.baseUrl}/api/v2.0/$metadata#companies(${this.companyId})/${entitySet}`, value: pageRows };
    if (skip + this.pageSize < limited.length) {
      const next = new URL(`${this.baseUrl}/api/v2.0${req.path}`);
      for (const [k, v] of Object.entries(req.query)) if (k !== "$skiptoken" && k !== "$skip" && typeof v === "string") next.searchParams.set(k, v);
      next.searchParams.set("$skiptoken", String(skip + this.pageSize));
      body["@odata.nextLink"] = next.toString();
    }
    res.json(body);
  }

  private filtered(req: Request, res: Response, rows: Record<string, unknown>[]): Record<string, unknown>[] | null {
    const filter = typeof req.query.$filter === "string" ? req.query.$filter : null;
    if (!filter) return rows;
    const predicate = parseFilter(filter);
    if (typeof predicate === "string") {
      this.error(res, 400, "BadRequest", `Could not parse $filter: ${predicate}`);
      return null;
    }
    return rows.filter(predicate);
  }

  private simpleApi(req: Request, res: Response, map: Map<string, Rec>, entitySet: string, id?: string) {
    if (req.method === "GET" && !id) {
      const rows = this.filtered(
        req,
        res,
        [...map.values()].map((r) => this.view(r)),
      );
      if (rows) this.page(req, res, entitySet, rows);
      return;
    }
    const r = id ? map.get(id) : undefined;
    if (req.method === "GET")
      return r
        ? void res.json(this.view(r))
        : this.error(res, 404, "Internal_RecordNotFound", `The ${entitySet} does not exist. Identification fields and values: Id='${id}'`);
    if (req.method === "POST" && !id) return void res.status(201).json(this.view(this.touch(map, { ...req.body, id: randomUUID() })));
    return this.error(res, 405, "BadRequest_MethodNotAllowed", `${req.method} is not allowed here`);
  }

  private customersApi(req: Request, res: Response, id?: string) {
    if (req.method === "POST" && !id) {
      const b = req.body as Record<string, unknown>;
      const number = (b.number as string) || `C${this.counters.customer++}`;
      if ([...this.customers.values()].some((c) => c.number === number))
        return this.error(
          res,
          400,
          "Internal_EntityWithSameKeyExists",
          `The record in table Customer already exists. Identification fields and values: No.='${number}'`,
        );
      if (b.paymentTermsId && !this.paymentTerms.has(b.paymentTermsId as string))
        return this.error(res, 400, "Internal_RecordNotFound", `The Payment Terms does not exist. Identification fields and values: Id='${b.paymentTermsId}'`);
      const rec = this.touch(this.customers, {
        number,
        displayName: "",
        type: "Company",
        addressLine1: "",
        city: "",
        state: "",
        country: "US",
        postalCode: "",
        currencyId: "00000000-0000-0000-0000-000000000000",
        currencyCode: "",
        creditLimit: 0,
        balanceDue: 0,
        taxLiable: false,
        paymentTermsId: [...this.paymentTerms.values()][0].id,
        blocked: " ",
        ...b,
        id: randomUUID(),
      });
      return void res.status(201).json(this.view(rec));
    }
    if (req.method === "PATCH" && id) {
      const r = this.customers.get(id);
      if (!r) return this.error(res, 404, "Internal_RecordNotFound", `The Customer does not exist. Identification fields and values: Id='${id}'`);
      if (!this.checkIfMatch(req, res, r, true)) return;
      const { id: _i, number: _n, ...changes } = req.body as Record<string, unknown>;
      return void res.json(this.view(this.touch(this.customers, { ...changes, id })));
    }
    return this.simpleApi(req, res, this.customers, "customers", id);
  }

  private customerByNumber(number: unknown): Rec | undefined {
    return [...this.customers.values()].find((c) => c.number === number);
  }

  private documentsApi(req: Request, res: Response, kind: DocKind, id?: string, sub?: string) {
    const map = this.documents[kind];
    const lineKey = LINES[kind];
    const withLines = (r: Rec) => (String(req.query.$expand ?? "").includes(lineKey) ? this.view(r, { [lineKey]: this.lines.get(r.id) ?? [] }) : this.view(r));
    if (req.method === "GET" && !id) {
      const rows = this.filtered(
        req,
        res,
        [...map.values()].map((r) => this.view(r)),
      );
      if (!rows) return;
      return this.page(
        req,
        res,
        kind,
        rows.map((r) => (String(req.query.$expand ?? "").includes(lineKey) ? { ...r, [lineKey]: this.lines.get(r.id as string) ?? [] } : r)),
      );
    }
    if (req.method === "POST" && !id) return this.createDocument(req, res, kind);
    const doc = id ? map.get(id) : undefined;
    if (!doc) return this.error(res, 404, "Internal_RecordNotFound", `The ${kind} does not exist. Identification fields and values: Id='${id}'`);
    if (req.method === "GET" && !sub) return void res.json(withLines(doc));
    if (req.method === "GET" && sub === lineKey) return this.page(req, res, lineKey, (this.lines.get(doc.id) ?? []) as unknown as Record<string, unknown>[]);
    if (req.method === "DELETE" && !sub) {
      if (!this.checkIfMatch(req, res, doc, true)) return;
      if (doc.status !== "Draft")
        return this.error(res, 400, "Application_CannotDeletePosted", `You cannot delete ${kind} ${doc.number}: it is ${doc.status}.`);
      map.delete(doc.id);
      this.lines.delete(doc.id);
      return void res.status(204).end();
    }
    if (req.method === "POST" && sub === "Microsoft.NAV.post" && kind !== "salesOrders") {
      if (!this.checkIfMatch(req, res, doc, false)) return;
      return this.postDocument(res, kind, doc);
    }
    return this.error(res, 405, "BadRequest_MethodNotAllowed", `${req.method} ${sub ?? ""} is not allowed on ${kind}`);
  }

  private createDocument(req: Request, res: Response, kind: DocKind) {
    const map = this.documents[kind];
    const b = req.body as Record<string, unknown>;
    const lineKey = LINES[kind];
    const customer = b.customerNumber ? this.customerByNumber(b.customerNumber) : b.customerId ? this.customers.get(b.customerId as string) : undefined;
    if (!customer)
      return this.error(
        res,
        400,
        "Internal_RecordNotFound",
        `The Customer does not exist. Identification fields and values: No.='${String(b.customerNumber ?? b.customerId ?? "")}'`,
      );
    const external = typeof b.externalDocumentNumber === "string" ? b.externalDocumentNumber : "";
    if (external.length > 35)
      return this.error(
        res,
        400,
        "BadRequest_InvalidValue",
        `The length of the string is ${external.length}, but it must be less than or equal to 35 characters. Value: ${external}`,
      );
    if (kind !== "salesOrders" && external) {
      // The idempotency key: one live document per external document number.
      const existing = [...map.values()].find((d) => d.externalDocumentNumber === external && d.status !== "Canceled");
      if (existing)
        return this.error(
          res,
          409,
          "Request_EntityWithSameKeyExists",
          `A ${kind === "salesInvoices" ? "sales invoice" : "sales credit memo"} with External Document No. '${external}' already exists: ${existing.number} (${existing.status}).`,
        );
    }
    const rawLines = Array.isArray(b[lineKey]) ? (b[lineKey] as Record<string, unknown>[]) : [];
    const id = randomUUID();
    const lines: Line[] = [];
    for (const [i, l] of rawLines.entries()) {
      const quantity = Number(l.quantity ?? 0);
      const unitPrice = Number(l.unitPrice ?? 0);
      if (!Number.isFinite(quantity) || !Number.isFinite(unitPrice))
        return this.error(res, 400, "BadRequest_InvalidValue", `line ${i + 1}: quantity and unitPrice must be numbers`);
      lines.push({
        id: randomUUID(),
        documentId: id,
        sequence: Number(l.sequence ?? (i + 1) * 10000),
        lineType: String(l.lineType ?? "Item"),
        lineObjectNumber: String(l.lineObjectNumber ?? ""),
        description: String(l.description ?? ""),
        unitOfMeasureCode: String(l.unitOfMeasureCode ?? ""),
        quantity,
        unitPrice,
        ...(l.shipmentDate ? { shipmentDate: String(l.shipmentDate) } : {}),
        amountExcludingTax: D(quantity * unitPrice),
      });
    }
    const total = D(lines.reduce((s, l) => s + l.amountExcludingTax, 0) - Number(b.discountAmount ?? 0));
    const number =
      kind === "salesInvoices"
        ? `S-INV${this.counters.draftInvoice++}`
        : kind === "salesCreditMemos"
          ? `S-CR${this.counters.draftCredit++}`
          : (b.number as string) || `S-ORD${this.counters.order++}`;
    const { [lineKey]: _lines, ...header } = b;
    const rec = this.touch(map, {
      number,
      externalDocumentNumber: external,
      currencyCode: "",
      discountAmount: 0,
      ...header,
      id,
      customerId: customer.id,
      customerNumber: customer.number,
      customerName: customer.displayName,
      status: kind === "salesOrders" ? ((b.status as string) ?? "Open") : "Draft",
      totalAmountExcludingTax: total,
      totalTaxAmount: 0,
      totalAmountIncludingTax: total,
      ...(kind !== "salesOrders" && { remainingAmount: total }),
    });
    this.lines.set(id, lines);
    res.status(201).json(this.view(rec));
  }

  private postDocument(res: Response, kind: "salesInvoices" | "salesCreditMemos", doc: Rec) {
    if (doc.status !== "Draft") return this.error(res, 400, "Application_DocumentAlreadyPosted", `${doc.number} is ${doc.status}: only drafts can be posted.`);
    const customer = this.customers.get(doc.customerId as string);
    if (!customer)
      return this.error(res, 400, "Internal_RecordNotFound", `The Customer does not exist. Identification fields and values: No.='${doc.customerNumber}'`);
    if (customer.blocked === "Invoice" || customer.blocked === "All") {
      return this.error(
        res,
        400,
        "Application_CustomerBlocked",
        `You cannot post this type of document when Customer ${customer.number} is blocked with type ${customer.blocked}`,
      );
    }
    if (!(this.lines.get(doc.id) ?? []).length)
      return this.error(
        res,
        400,
        "Application_NothingToPost",
        `There is nothing to post because the document ${doc.number} does not contain a quantity or amount.`,
      );
    const number = kind === "salesInvoices" ? `PS-INV${this.counters.postedInvoice++}` : `PS-CR${this.counters.postedCredit++}`;
    // The API keeps the id of the draft for the posted document (Business Central does the same).
    this.touch(this.documents[kind], { id: doc.id, number, status: "Open", postingDate: doc.postingDate ?? new Date().toISOString().slice(0, 10) });
    res.status(204).end();
  }

  // ---- what tests and the demo look at or seed

  /** Documents of a kind carrying this external document number (at most one that is not cancelled). */
  byExternalNumber(kind: "salesInvoices" | "salesCreditMemos", external: string): Rec[] {
    return [...this.documents[kind].values()].filter((d) => d.externalDocumentNumber === external);
  }

  /** How many requests matched (method, path fragment). */
  count(method: string, pathFragment: string | RegExp): number {
    return this.requestLog.filter((r) => r.method === method && (typeof pathFragment === "string" ? r.path.includes(pathFragment) : pathFragment.test(r.path)))
      .length;
  }

  termsIdOf(code: string): string | undefined {
    return [...this.paymentTerms.values()].find((t) => t.code === code)?.id;
  }

  /** Adds or changes a customer directly (the ERP's users keying it in). */
  upsertCustomer(values: { number: string; displayName: string; creditLimit?: number; paymentTerms?: string; blocked?: string; currencyCode?: string }): Rec {
    const existing = this.customerByNumber(values.number);
    const paymentTermsId = values.paymentTerms
      ? (this.termsIdOf(values.paymentTerms) ??
        this.touch(this.paymentTerms, {
          code: values.paymentTerms,
          displayName: values.paymentTerms,
          dueDateCalculation: `${/\d+/.exec(values.paymentTerms)?.[0] ?? "30"}D`,
        }).id)
      : undefined;
    const { paymentTerms: _t, ...rest } = values;
    return this.touch(this.customers, {
      ...(existing ?? { type: "Company", currencyCode: "", creditLimit: 0, blocked: " ", balanceDue: 0, paymentTermsId: this.termsIdOf("NET30") }),
      ...rest,
      ...(paymentTermsId && { paymentTermsId }),
      id: existing?.id ?? randomUUID(),
    });
  }

  /** A sales order keyed into the ERP. */
  addSalesOrder(values: {
    number?: string;
    customerNumber: string;
    externalDocumentNumber?: string;
    orderDate?: string;
    requestedDeliveryDate?: string;
    shipToName?: string;
    lines: { lineObjectNumber: string; quantity: number; unitOfMeasureCode?: string; unitPrice?: number }[];
  }): Rec {
    const customer = this.customerByNumber(values.customerNumber);
    if (!customer) throw new Error(`stand-in: no customer ${values.customerNumber}`);
    const id = randomUUID();
    const number = values.number ?? `S-ORD${this.counters.order++}`;
    this.lines.set(
      id,
      values.lines.map((l, i) => ({
        id: randomUUID(),
        documentId: id,
        sequence: (i + 1) * 10000,
        lineType: "Item",
        lineObjectNumber: l.lineObjectNumber,
        description: "",
        unitOfMeasureCode: l.unitOfMeasureCode ?? "",
        quantity: l.quantity,
        unitPrice: l.unitPrice ?? 0,
        amountExcludingTax: D(l.quantity * (l.unitPrice ?? 0)),
      })),
    );
    return this.touch(this.documents.salesOrders, {
      id,
      number,
      externalDocumentNumber: values.externalDocumentNumber ?? "",
      orderDate: values.orderDate ?? new Date().toISOString().slice(0, 10),
      customerId: customer.id,
      customerNumber: customer.number,
      customerName: customer.displayName,
      currencyCode: "",
      requestedDeliveryDate: values.requestedDeliveryDate ?? "0001-01-01",
      shipToName: values.shipToName ?? customer.displayName,
      status: "Open",
    });
  }
}

// ---- a $filter subset: <field> <op> <literal> [and ...]; literals: 'text' (quotes doubled), numbers, true/false, ISO dates and date-times

type Predicate = (row: Record<string, unknown>) => boolean;

export function parseFilter(filter: string): Predicate | string {
  const clauses = filter.split(/\s+and\s+/i);
  const tests: Predicate[] = [];
  for (const clause of clauses) {
    const m = /^\s*([A-Za-z][A-Za-z0-9]*)\s+(eq|ne|gt|ge|lt|le)\s+('(?:[^']|'')*'|[^\s]+)\s*$/i.exec(clause);
    if (!m) return `"${clause}" is not <field> <eq|ne|gt|ge|lt|le> <value>`;
    const [, field, op, literal] = m;
    let value: unknown;
    if (literal.startsWith("'")) value = literal.slice(1, -1).replace(/''/g, "'");
    else if (literal === "true" || literal === "false") value = literal === "true";
    else if (/^-?\d+(\.\d+)?$/.test(literal)) value = Number(literal);
    else if (/^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2}))?$/.test(literal)) value = literal;
    else return `the value ${literal} is not a literal the stand-in understands`;
    const cmp = (a: unknown): number => {
      if (typeof value === "string" && /^\d{4}-\d{2}-\d{2}T/.test(value) && typeof a === "string") return Date.parse(a) - Date.parse(value);
      if (typeof a === "number" && typeof value === "number") return a - value;
      return String(a ?? "").localeCompare(String(value));
    };
    const o = op.toLowerCase();
    tests.push((row) => {
      const c = cmp(row[field]);
      return o === "eq" ? c === 0 : o === "ne" ? c !== 0 : o === "gt" ? c > 0 : o === "ge" ? c >= 0 : o === "lt" ? c < 0 : c <= 0;
    });
  }
  return (row) => tests.every((t) => t(row));
}

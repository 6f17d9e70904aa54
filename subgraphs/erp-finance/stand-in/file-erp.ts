// A stand-in for the legacy on-premise ERP on the other side of a file exchange folder: it takes
// the posting batches we write to outbound/, posts each document (or rejects it: an unknown
// customer, lines that do not add up to the document total), and answers with an acknowledgement
// file in inbound/. It keeps the document numbers it has posted, so a document sent again (a
// re-export after a crash or a retry) is acknowledged DUPLICATE with its first number: posted
// once. It can also drop customer and order files for us, as the ERP's own exports would.
// `npm start` runs one for the demo's file-exchange business unit (ERP_FILE_STANDIN); tests and
// the benchmark start their own.
import fs from "node:fs";
import path from "node:path";
import { Prisma } from "../../../platform/db/generated/client.js";
import { ACK_COLUMNS, CUSTOMER_COLUMNS, ORDER_COLUMNS, formatCsv, parsePostingBatch } from "../sources/erp/file-exchange/formats.js";
import { EXCHANGE_FOLDERS, writeFileAtomically } from "../sources/erp/file-exchange/connector.js";

export interface FileErpStandInOptions {
  /** The exchange folder (with inbound/, outbound/...). */
  root: string;
  /** Customer numbers the ERP knows; null: every number is accepted. */
  customers?: Set<string> | null;
  /** How often outbound/ is looked at when started (default 500 ms). */
  pollIntervalMs?: number;
}

export class FileErpStandIn {
  /** documentType:documentNumber -> the ERP's number. */
  readonly posted = new Map<string, string>();
  readonly processedFiles: string[] = [];
  private next = 9_000_100_001;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;
  /** Reject documents of these customers (a "blocked" customer) until removed. */
  readonly blocked = new Set<string>();

  constructor(private readonly options: FileErpStandInOptions) {
    for (const f of EXCHANGE_FOLDERS) fs.mkdirSync(path.join(options.root, f), { recursive: true });
    fs.mkdirSync(this.processedDir, { recursive: true });
    // The ERP's memory of what it posted survives a restart (a ledger next to the batches it read),
    // so a batch exported again after a restart is still answered DUPLICATE.
    if (fs.existsSync(this.ledger)) {
      for (const line of fs.readFileSync(this.ledger, "utf8").split("\n")) {
        const [key, number] = line.split(",");
        if (key && number) {
          this.posted.set(key, number);
          this.next = Math.max(this.next, Number(number) + 1);
        }
      }
    }
  }

  /** The exchange folder it answers. */
  get root() {
    return this.options.root;
  }

  private get ledger() {
    return path.join(this.processedDir, "posted-ledger.csv");
  }

  /** Where the ERP keeps the batches it has read (outside our folders). */
  get processedDir() {
    return path.join(this.options.root, "erp-processed");
  }

  start() {
    const tick = () => {
      this.timer = setTimeout(() => {
        this.running = this.processOnce()
          .catch((err) => console.error(JSON.stringify({ level: "error", msg: "file ERP stand-in failed", error: String(err) })))
          .finally(() => {
            this.running = null;
            if (this.timer) tick();
          });
      }, this.options.pollIntervalMs ?? 500);
      this.timer.unref();
    };
    tick();
    return this;
  }

  async stop() {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  /** Reads every batch in outbound/, writes one acknowledgement file per batch. Returns how many documents it answered. */
  async processOnce(): Promise<number> {
    const outbound = path.join(this.options.root, "outbound");
    const files = fs
      .readdirSync(outbound)
      .filter((f) => !f.startsWith(".") && f.endsWith(".csv"))
      .sort();
    let answered = 0;
    for (const file of files) {
      const full = path.join(outbound, file);
      let documents: ReturnType<typeof parsePostingBatch>;
      try {
        documents = parsePostingBatch(fs.readFileSync(full));
      } catch (err) {
        // A batch it cannot read is set aside (as a real ERP's import would), not read again and again.
        fs.renameSync(full, path.join(this.processedDir, `${file}.unreadable`));
        console.error(JSON.stringify({ level: "error", msg: "file ERP stand-in cannot read a batch", file, error: String(err) }));
        continue;
      }
      const acks = documents.map((d) => {
        const key = `${d.documentType}:${d.documentNumber}`;
        const before = this.posted.get(key);
        if (before)
          return {
            documentType: d.documentType,
            documentNumber: d.documentNumber,
            status: "DUPLICATE",
            erpDocumentNumber: before,
            message: `already posted as ${before}`,
          };
        const problem = this.problemWith(d);
        if (problem) return { documentType: d.documentType, documentNumber: d.documentNumber, status: "REJECTED", erpDocumentNumber: "", message: problem };
        const number = String(this.next++);
        this.posted.set(key, number);
        fs.appendFileSync(this.ledger, `${key},${number}\n`);
        return { documentType: d.documentType, documentNumber: d.documentNumber, status: "POSTED", erpDocumentNumber: number, message: "" };
      });
      writeFileAtomically(path.join(this.options.root, "inbound", `ack_${file}`), formatCsv(ACK_COLUMNS, acks));
      fs.renameSync(full, path.join(this.processedDir, file));
      this.processedFiles.push(file);
      answered += acks.length;
    }
    return answered;
  }

  private problemWith(d: ReturnType<typeof parsePostingBatch>[number]): string | null {
    if (this.options.customers && !this.options.customers.has(d.customerNumber)) return `customer ${d.customerNumber} does not exist`;
    if (this.blocked.has(d.customerNumber)) return `customer ${d.customerNumber} is blocked for invoicing`;
    const sum = d.rows.reduce((s, r) => (r.lineType === "ALLOWANCE" ? s.sub(r.amount) : s.add(r.amount)), new Prisma.Decimal(0));
    if (!sum.equals(d.total)) return `the lines come to ${sum.toFixed(2)}, the document total says ${d.total}`;
    return null;
  }

  /** Writes a customer master export into inbound/ (as the ERP's nightly export would). */
  dropCustomers(
    name: string,
    customers: {
      customerNumber: string;
      name: string;
      currency?: string;
      creditLimit: string;
      paymentTerms: string;
      termsDays: number;
      creditHold?: boolean;
      gln?: string;
    }[],
  ) {
    for (const c of customers) this.options.customers?.add(c.customerNumber);
    return this.drop(
      name,
      formatCsv(
        CUSTOMER_COLUMNS,
        customers.map((c) => ({ ...c, creditHold: c.creditHold ? "Y" : "N" })),
      ),
    );
  }

  /** Writes an orders export into inbound/: one row per order line. */
  dropOrders(name: string, rows: Partial<Record<(typeof ORDER_COLUMNS)[number], string | number>>[]) {
    return this.drop(name, formatCsv(ORDER_COLUMNS, rows));
  }

  /** Any file into inbound/, whole (written under a temporary name, then renamed). */
  drop(name: string, content: string | Buffer) {
    const target = path.join(this.options.root, "inbound", name);
    writeFileAtomically(target, content);
    return target;
  }
}

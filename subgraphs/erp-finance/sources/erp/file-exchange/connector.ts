// The legacy ERP connector: CSV files in folders, one exchange folder per business unit:
//
//   <folder>/outbound/   we write posting batches here (invoices_<batch>.csv); the ERP takes them
//   <folder>/inbound/    the ERP writes customers*.csv, orders*.csv and ack*.csv here
//   <folder>/archive/    inbound files we applied (or had applied before), renamed <time>_<name>
//   <folder>/error/      inbound files we refused, with <time>_<name>.reason.txt saying why
//
// A batch file appears whole or not at all: it is written under a dot-name the ERP ignores,
// flushed, then renamed (an atomic step within one folder). An inbound file is read only once it
// has not changed for settleMs (an ERP that writes in place is not read half-written). Nothing is
// deleted: every inbound file ends in archive/ or error/.
import fs from "node:fs";
import path from "node:path";
import { createHash } from "node:crypto";
import type { DeliveryOutcome, ErpConnectorApi, ErpDocument, InboundContent, InboundEntity, InboundUnit } from "../connector.js";
import { ErpFormatError } from "../connector.js";
import { formatPostingBatch, parseAcknowledgements, parseCustomers, splitOrders } from "./formats.js";
import { SALES_ORDER_FORMAT_CSV, salesOrderEnvelope } from "../sales-order-envelope.js";

export interface FileExchangeSettings {
  businessUnitId: string;
  system: string;
  /** The exchange folder (absolute). */
  root: string;
  /** An inbound file is read once it has not changed for this long (default 2000 ms). */
  settleMs?: number;
}

export const EXCHANGE_FOLDERS = ["inbound", "outbound", "archive", "error"] as const;

/** Which inbound file is what, by name. */
export function entityOfFile(name: string): InboundEntity | null {
  const n = name.toLowerCase();
  if (!n.endsWith(".csv")) return null;
  if (n.startsWith("customers")) return "CUSTOMERS";
  if (n.startsWith("orders")) return "SALES_ORDERS";
  if (n.startsWith("ack")) return "ACKNOWLEDGEMENTS";
  return null;
}

const stamp = (d = new Date()) => d.toISOString().replace(/[-:]/g, "").replace(".", "").replace("Z", "");

/** Writes a file whole or not at all: a dot-name temp file in the same folder, flushed, then renamed over the target. */
export function writeFileAtomically(target: string, content: string | Buffer) {
  const temp = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.tmp`);
  const fd = fs.openSync(temp, "w");
  try {
    fs.writeSync(fd, typeof content === "string" ? Buffer.from(content, "utf8") : content);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(temp, target);
}

export class FileExchangeConnector implements ErpConnectorApi {
  readonly kind = "FILE_EXCHANGE" as const;
  readonly system: string;

  constructor(private readonly settings: FileExchangeSettings) {
    this.system = settings.system;
  }

  folder(name: (typeof EXCHANGE_FOLDERS)[number]) {
    return path.join(this.settings.root, name);
  }

  /** Creates the exchange folders if missing; throws when the root cannot be used. */
  ensureFolders() {
    for (const f of EXCHANGE_FOLDERS) fs.mkdirSync(this.folder(f), { recursive: true });
  }

  async deliver(documents: ErpDocument[], batchName: string): Promise<DeliveryOutcome[]> {
    const started = Date.now();
    const file = `${batchName}.csv`;
    try {
      this.ensureFolders();
      // The same batch name is written again by a retry after a crash: the same content, the same name.
      writeFileAtomically(path.join(this.folder("outbound"), file), formatPostingBatch(documents));
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      const durationMs = Date.now() - started;
      const reason = `cannot write ${path.join("outbound", file)} in ${this.settings.root}: ${e.code ?? e.message}`;
      // A full disk or a busy share clears up; a missing or forbidden folder needs someone.
      if (e.code === "ENOSPC" || e.code === "EBUSY" || e.code === "EAGAIN" || e.code === "EIO")
        return documents.map(() => ({ status: "UNAVAILABLE" as const, reason, durationMs }));
      return documents.map(() => ({ status: "CONFIGURATION" as const, reason, durationMs }));
    }
    const durationMs = Date.now() - started;
    return documents.map(() => ({
      status: "SENT" as const,
      batchFile: path.join("outbound", file),
      detail: `exported in ${file} (${documents.length} document${documents.length > 1 ? "s" : ""})`,
      durationMs,
    }));
  }

  async pull(): Promise<InboundUnit[]> {
    this.ensureFolders();
    const inbound = this.folder("inbound");
    const settleMs = this.settings.settleMs ?? 2000;
    const now = Date.now();
    const names = fs
      .readdirSync(inbound, { withFileTypes: true })
      .filter((d) => d.isFile() && !d.name.startsWith("."))
      .map((d) => ({ name: d.name, stat: fs.statSync(path.join(inbound, d.name)) }))
      .filter((f) => now - f.stat.mtimeMs >= settleMs)
      // Oldest first, so a customer file written before an orders file is applied before it.
      .sort((a, b) => a.stat.mtimeMs - b.stat.mtimeMs || a.name.localeCompare(b.name));
    return names.map(({ name }) => this.unit(name));
  }

  private unit(name: string): InboundUnit {
    const file = path.join(this.folder("inbound"), name);
    const bytes = fs.readFileSync(file);
    const entity = entityOfFile(name);
    const relative = path.join("inbound", name);
    return {
      name: relative,
      entity,
      contentHash: createHash("sha256").update(bytes).digest("hex"),
      cursor: null,
      read: async (): Promise<InboundContent> => {
        if (!entity) throw new ErpFormatError(`"${name}" is not a file this exchange knows: customers*.csv, orders*.csv or ack*.csv`);
        if (entity === "CUSTOMERS") return { entity, customers: parseCustomers(bytes) };
        if (entity === "ACKNOWLEDGEMENTS") return { entity, acknowledgements: parseAcknowledgements(bytes) };
        const hash = (s: string) => createHash("sha256").update(s).digest("hex").slice(0, 16);
        return {
          entity,
          orders: splitOrders(bytes).map((o) => ({
            number: o.orderNumber,
            idempotencyKey: `${this.settings.businessUnitId}:${o.orderNumber}:${hash(o.csv)}`,
            raw: salesOrderEnvelope({
              format: SALES_ORDER_FORMAT_CSV,
              businessUnitId: this.settings.businessUnitId,
              system: this.system,
              order: { file: relative, firstLine: o.firstLine, csv: o.csv },
            }),
          })),
        };
      },
      settle: async ({ state, reason }) => {
        const target = state === "REJECTED" ? "error" : "archive";
        const moved = path.join(this.folder(target), `${stamp()}_${name}`);
        if (state === "REJECTED") writeFileAtomically(`${moved}.reason.txt`, `${reason ?? "refused"}\n`);
        try {
          fs.renameSync(file, moved);
        } catch (err) {
          // Another replica settled it first.
          if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
          return null;
        }
        return path.relative(this.settings.root, moved);
      },
    };
  }
}

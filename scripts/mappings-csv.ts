// The CSV form of mapping rows, for `npm run ops -- mappings import|export`:
//
//   kind,system,externalValue,canonicalId
//   PRODUCT,GS1,00614141000128,SKU-10001
//   PRODUCT,CUST-0004,AB-778,SKU-10001
//   UNIT,X12,CA,CS
//
// RFC 4180 (csv-parse / csv-stringify): a header row, values with commas, quotes or line breaks
// quoted, "" for a quote inside. Values are kept as text (leading zeros survive). A row that is
// wrong stops the import before anything is written, naming its line.
import { parse } from "csv-parse/sync";
import { stringify } from "csv-stringify/sync";

export const CSV_COLUMNS = ["kind", "system", "externalValue", "canonicalId"] as const;
const KINDS = ["PRODUCT", "LOCATION", "CUSTOMER", "SUPPLIER", "UNIT", "STATUS", "TIME_ZONE", "DATE_QUALIFIER"];
const BATCH = 1000;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each command reads the fields it asked for
type Gql = (query: string, variables?: Record<string, unknown>) => Promise<any>;

export interface CsvRow {
  kind: string;
  system: string;
  externalValue: string;
  canonicalId: string;
}

export class CsvError extends Error {}

/** Rows of a mappings CSV, checked; throws CsvError naming the line of the first problem. */
export function parseMappingsCsv(bytes: Buffer | string): CsvRow[] {
  let records: string[][];
  try {
    records = parse(bytes, { bom: true, relax_column_count: false, skip_empty_lines: true, trim: false });
  } catch (err) {
    throw new CsvError(`the file is not valid CSV: ${(err as Error).message}`);
  }
  if (!records.length) throw new CsvError("the file is empty: expected a header row kind,system,externalValue,canonicalId");
  const header = records[0].map((h) => h.trim());
  if (header.join(",") !== CSV_COLUMNS.join(",")) throw new CsvError(`line 1: the header must be ${CSV_COLUMNS.join(",")}, got ${header.join(",")}`);
  return records.slice(1).map((r, i) => {
    const line = i + 2;
    const [kind, system, externalValue, canonicalId] = r;
    if (!KINDS.includes(kind.trim())) throw new CsvError(`line ${line}: kind "${kind}" is not one of ${KINDS.join(", ")}`);
    for (const [name, value] of [
      ["system", system],
      ["externalValue", externalValue],
      ["canonicalId", canonicalId],
    ] as const) {
      if (!value.trim()) throw new CsvError(`line ${line}: ${name} is empty`);
    }
    return { kind: kind.trim(), system, externalValue, canonicalId };
  });
}

export async function importMappingsCsv(bytes: Buffer | string, gql: Gql) {
  const rows = parseMappingsCsv(bytes);
  let upserted = 0;
  let batches = 0;
  const warnings: string[] = [];
  for (let i = 0; i < rows.length; i += BATCH) {
    const chunk = rows.slice(i, i + BATCH);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the mutation's result, read below
    let data: any;
    try {
      data = await gql(`mutation($r: [CrossReferenceInput!]!) { upsertCrossReferences(references: $r) { upserted warnings } }`, { r: chunk });
    } catch (err) {
      // references[k] in the server's message is line i + k + 2 of the file.
      throw new Error(
        (err as Error).message.replace(/references\[(\d+)\]/g, (_, k) => `line ${i + Number(k) + 2}`),
        { cause: err },
      );
    }
    upserted += data.upsertCrossReferences.upserted;
    warnings.push(
      ...data.upsertCrossReferences.warnings.map((w: string) => w.replace(/references\[(\d+)\]/g, (_: string, k: string) => `line ${i + Number(k) + 2}`)),
    );
    batches++;
  }
  return { rows: rows.length, upserted, batches, warnings };
}

export async function exportMappingsCsv(gql: Gql, filter: { kind?: string; system?: string }) {
  const rows: CsvRow[] = [];
  let after: string | null = null;
  for (;;) {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the query's result, read below
    const data: any = await gql(
      `query($f: CrossReferenceFilter, $after: String) { crossReferences(filter: $f, first: 500, after: $after) { nodes { kind system externalValue canonicalId } pageInfo { hasNextPage endCursor } } }`,
      { f: { kind: filter.kind, system: filter.system }, after },
    );
    rows.push(...data.crossReferences.nodes);
    if (!data.crossReferences.pageInfo.hasNextPage) break;
    after = data.crossReferences.pageInfo.endCursor;
  }
  const text = stringify(rows, { header: true, columns: [...CSV_COLUMNS], quoted_match: /^\s|\s$/ });
  return { rows: rows.length, text };
}

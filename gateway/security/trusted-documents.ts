// Trusted documents: in "enforce" mode only operations registered ahead of time run. The registry
// is a persisted-query manifest (Apollo's format: { format, version, operations: [{ id, name,
// type, body }] }) written by `npm run documents:register`, where id is the SHA-256 of the
// operation as graphql-js prints it. A client may send the full text (its normalised form must be
// registered) or only the hash (extensions.persistedQuery.sha256Hash), which the gateway expands.
import fs from "node:fs";
import { createHash } from "node:crypto";
import { GraphQLError, parse, print } from "graphql";
import { ErrorCode } from "../../platform/errors.js";

export const trustedDocumentModes = ["off", "enforce"] as const;
export type TrustedDocumentMode = (typeof trustedDocumentModes)[number];

export interface TrustedDocumentOptions {
  /** TRUSTED_DOCUMENTS: off (default) or enforce. */
  mode: TrustedDocumentMode;
  /** TRUSTED_DOCUMENTS_FILE: the manifest (default trusted-documents.json). */
  file: string;
}

export interface ManifestOperation {
  id: string;
  name: string;
  type: string;
  body: string;
}
export interface Manifest {
  format: "apollo-persisted-query-manifest";
  version: 1;
  operations: ManifestOperation[];
}

export const documentHash = (normalised: string) => createHash("sha256").update(normalised).digest("hex");

/** The registered form of a document: graphql-js's print, the text Apollo Client hashes too. */
export const normalise = (text: string) => print(parse(text));

export function readManifest(file: string): Manifest {
  if (!fs.existsSync(file)) return { format: "apollo-persisted-query-manifest", version: 1, operations: [] };
  const m = JSON.parse(fs.readFileSync(file, "utf8")) as Manifest;
  if (m.format !== "apollo-persisted-query-manifest" || !Array.isArray(m.operations)) throw new Error(`${file} is not a persisted-query manifest`);
  return m;
}

export class TrustedDocuments {
  private readonly byHash: Map<string, string>;

  constructor(
    readonly mode: TrustedDocumentMode,
    manifest: Manifest,
  ) {
    this.byHash = new Map(manifest.operations.map((o) => [o.id, o.body]));
  }

  static load(options: TrustedDocumentOptions): TrustedDocuments {
    return new TrustedDocuments(
      options.mode,
      options.mode === "off" ? { format: "apollo-persisted-query-manifest", version: 1, operations: [] } : readManifest(options.file),
    );
  }

  get size() {
    return this.byHash.size;
  }

  /**
   * The query text to run for a request, or an error when it may not run. Off: the request as sent.
   */
  resolve(query: string | undefined, hash: string | undefined): { query: string } | { error: GraphQLError } {
    if (this.mode === "off") return query ? { query } : { error: notTrusted("send the query text: trusted documents are off") };
    if (!query) {
      const body = hash && this.byHash.get(hash);
      return body ? { query: body } : { error: notTrusted(`no registered operation has hash ${hash ?? "(none)"}`) };
    }
    let normalised: string;
    try {
      normalised = normalise(query);
    } catch {
      return { error: notTrusted("the document does not parse, so it cannot be a registered operation") };
    }
    return this.byHash.has(documentHash(normalised)) ? { query } : { error: notTrusted("the operation is not registered (npm run documents:register)") };
  }
}

function notTrusted(message: string) {
  return new GraphQLError(`Trusted documents only: ${message}`, { extensions: { code: ErrorCode.DOCUMENT_NOT_TRUSTED, http: { status: 400 } } });
}

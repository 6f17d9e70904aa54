// GET /documents/<id>: an outbound document's content as it was (or will be) sent to the partner,
// with its type and control number in headers. The same document is Order.documents in the graph.
import type { Express } from "express";
import type { Db } from "../db/client.js";
import { correlationIdOf } from "../http/server.js";
import { sendError } from "../http/errors.js";
import { ErrorCode } from "../errors.js";
import { documentById } from "./index.js";
import { logFor } from "../telemetry/log.js";

const CONTENT_TYPES: Record<string, string> = { X12: "application/edi-x12", EDIFACT: "application/edifact", JSON: "application/json" };

export function mountDocumentRoutes(app: Express, db: Db) {
  app.get("/documents/:id", async (req, res) => {
    try {
      const doc = await documentById(db, req.params.id);
      if (!doc) {
        const message = `no document ${req.params.id}`;
        return void sendError(req, res, { status: 404, code: ErrorCode.NOT_FOUND, message }, { error: message });
      }
      res.setHeader("content-type", `${CONTENT_TYPES[doc.standard] ?? "text/plain"}; charset=utf-8`);
      res.setHeader("x-document-type", doc.type);
      res.setHeader("x-control-number", doc.controlNumber);
      res.setHeader("x-partner", doc.partner);
      res.send(doc.content);
    } catch (err) {
      logFor(correlationIdOf(req)).error({ id: req.params.id, error: String(err) }, "reading a document failed");
      const message = `internal error while reading the document; the server log has the details under correlation id ${correlationIdOf(req)}`;
      sendError(req, res, { status: 500, code: ErrorCode.INTERNAL_SERVER_ERROR, message }, { error: message });
    }
  });
}

// GET /documents/<id>: an outbound document's content as it was (or will be) sent to the partner,
// with its type and control number in headers. The same document is Order.documents in the graph.
import type { Express } from "express";
import type { Db } from "../db/client.js";
import { correlationIdOf } from "../http/server.js";
import { documentById } from "./index.js";

const CONTENT_TYPES: Record<string, string> = { X12: "application/edi-x12", EDIFACT: "application/edifact" };

export function mountDocumentRoutes(app: Express, db: Db) {
  app.get("/documents/:id", async (req, res) => {
    try {
      const doc = await documentById(db, req.params.id);
      if (!doc) return void res.status(404).json({ error: `no document ${req.params.id}`, correlationId: correlationIdOf(req) });
      res.setHeader("content-type", `${CONTENT_TYPES[doc.standard] ?? "text/plain"}; charset=utf-8`);
      res.setHeader("x-document-type", doc.type);
      res.setHeader("x-control-number", doc.controlNumber);
      res.setHeader("x-partner", doc.partner);
      res.send(doc.content);
    } catch (err) {
      console.error(JSON.stringify({ level: "error", msg: "reading a document failed", id: req.params.id, correlationId: correlationIdOf(req), error: String(err) }));
      res.status(500).json({ error: "internal error while reading the document (logged on the server)", correlationId: correlationIdOf(req) });
    }
  });
}

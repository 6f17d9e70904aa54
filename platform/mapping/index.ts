// Mapping as data: cross-references, unit and status codes, time zones and date qualifiers as
// rows (platform.CrossReference), GS1 normalisation, and the session that resolves a document.
export * from "./cross-references.js";
export * from "./gs1.js";
export * from "./ports.js";
export * from "./session.js";
export * from "./time.js";
export * from "./ingest.js";

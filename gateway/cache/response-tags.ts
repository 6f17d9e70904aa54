// Reads the entities out of an answer executed with a cache plan (cache-plan.ts), and takes the
// fields the plan added out of it, so the client gets exactly the answer to its own document.
import { entityTag, typeTag } from "./cacheable-types.js";
import { KEY_MARKER, TYPE_MARKER, type RootField } from "./cache-plan.js";

export function takeTags(data: Record<string, unknown>, roots: RootField[]): Set<string> {
  const tags = new Set<string>();
  for (const root of roots) {
    const value = data[root.responseKey];
    // A list may gain or lose members, and a missing entity may appear: any change of its types evicts it.
    if (!root.single || value === null || value === undefined) for (const type of root.types) tags.add(typeTag(type));
    collect(value, tags);
  }
  return tags;
}

function collect(value: unknown, tags: Set<string>): void {
  if (Array.isArray(value)) {
    for (const item of value) collect(item, tags);
    return;
  }
  if (!value || typeof value !== "object") return;
  const record = value as Record<string, unknown>;
  if (TYPE_MARKER in record) {
    tags.add(entityTag(record[TYPE_MARKER] as string, record[KEY_MARKER]));
    delete record[TYPE_MARKER];
    delete record[KEY_MARKER];
  }
  for (const key in record) {
    const nested = record[key];
    if (nested && typeof nested === "object") collect(nested, tags);
  }
}

// One result per (event, delivery group), shared by every subscriber of the group. A group is the
// subscribers whose result for an event is necessarily the same: same document and operation,
// same variable values (except one only used for `since`, which picks where a subscriber starts,
// not what an event looks like), and the same access (scopes, customer, unit: row rules and
// authorization are applied to the follow-up per access). A thousand dashboards on one selection
// then cost one execution of the result per event instead of a thousand, and the WebSocket
// transport serialises that one object once (ws-transport.ts).
// Results are kept for a short while after their event (two generations of a map swapped every
// `ttlMs`), long enough for every subscriber of a burst; a late one (a replay) computes it again.
import { Kind, print, visit, type DocumentNode, type ExecutionResult, type FieldNode } from "graphql";

export type Shared = Promise<ExecutionResult | null>;

export class SharedResults {
  private current = new Map<string, Shared>();
  private previous = new Map<string, Shared>();
  private swappedAt = performance.now();
  /** Delivery groups by their long description, to short ids: the per-event key stays short to build and hash. */
  private readonly groups = new Map<string, number>();
  /** Results computed (one per event and group) and results reused (diagnostics, tests). */
  computed = 0;
  reused = 0;

  constructor(private readonly ttlMs = 10_000) {}

  private nextGroupId = 0;

  /**
   * A short id for a delivery group (see deliveryGroup). Ids are never reused; past 10,000 groups
   * the table starts again, which only means that subscribers of one group who came before and
   * after stop sharing.
   */
  groupId(group: string): number {
    let id = this.groups.get(group);
    if (id === undefined) {
      if (this.groups.size >= 10_000) this.groups.clear();
      this.groups.set(group, (id = this.nextGroupId++));
    }
    return id;
  }

  /** The group's result for the event: computed by the first subscriber that asks, then shared. */
  get(sequence: bigint, group: number, compute: () => Shared): Shared {
    const now = performance.now();
    if (now - this.swappedAt >= this.ttlMs) {
      this.previous = this.current;
      this.current = new Map();
      this.swappedAt = now;
    }
    const key = `${sequence}:${group}`;
    let entry = this.current.get(key) ?? this.previous.get(key);
    if (entry) {
      this.reused++;
      return entry;
    }
    this.computed++;
    entry = compute();
    this.current.set(key, entry);
    // A failure is not shared with later subscribers: they try again.
    entry.catch(() => this.current.get(key) === entry && this.current.delete(key));
    return entry;
  }
}

/**
 * The delivery group of a subscription: its document, operation and variable values without a
 * variable used only as the root field's `since`, and the subscriber's access key.
 */
export function deliveryGroup(
  document: DocumentNode,
  operationName: string | null | undefined,
  root: FieldNode,
  variables: Record<string, unknown>,
  access: string,
): string {
  const sinceArg = root.arguments?.find((a) => a.name.value === "since")?.value;
  const values = { ...variables };
  if (sinceArg?.kind === Kind.VARIABLE) {
    const name = sinceArg.name.value;
    let usedElsewhere = false;
    visit(document, {
      Argument: (a) => (a === root.arguments?.find((x) => x.value === sinceArg) ? false : undefined),
      Variable: (v) => {
        if (v.name.value === name) usedElsewhere = true;
      },
      VariableDefinition: () => false,
    });
    if (!usedElsewhere) delete values[name];
  }
  return JSON.stringify([print(document), operationName ?? null, values, access]);
}

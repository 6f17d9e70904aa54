// The scopes this graph knows. Subgraph SDL names them in @requiresScopes; the development token
// holds all of them; ingestion accepts INGEST. One list, so a typo in a schema is caught by a test.
export const Scope = {
  ORDERS_READ: "orders:read",
  ORDERS_WRITE: "orders:write",
  INVENTORY_READ: "inventory:read",
  INVENTORY_WRITE: "inventory:write",
  FINANCE_READ: "finance:read",
  FINANCE_WRITE: "finance:write",
  SHIPMENTS_READ: "shipments:read",
  OPERATIONS_READ: "operations:read",
  OPERATIONS_WRITE: "operations:write",
  INGEST: "ingest",
} as const;
export type Scope = (typeof Scope)[keyof typeof Scope];

export const allScopes: readonly string[] = Object.values(Scope);

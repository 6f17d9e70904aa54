// Inventory queries: product search, position lists with location-subtree and availability filters.
import { DomainError, ErrorCode } from "../../platform/errors.js";
import {
  buildConnection,
  cursorWhere,
  decodeCursor,
  pageSize,
  pageWindow,
  readDirection,
  type ConnectionModel,
  type PageArgs,
} from "../../platform/graphql/connection.js";
import type { Db } from "../../platform/db/client.js";
import { Prisma, type InventoryPosition, type Product } from "../../platform/db/generated/client.js";
import { descendantsOf, positionId } from "./domain.js";

export interface ProductFilter {
  search?: string | null;
  category?: string | null;
}

export async function listProducts(db: Db, filter: ProductFilter | null | undefined, page: PageArgs = {}): Promise<ConnectionModel<Product>> {
  const window = pageWindow(page, 1);
  const dir = readDirection("asc", window);
  const where: Prisma.ProductWhereInput = {};
  if (filter?.search) {
    const q = filter.search;
    where.OR = [{ sku: { contains: q, mode: "insensitive" } }, { gtin: q }, { description: { contains: q, mode: "insensitive" } }];
  }
  if (filter?.category) where.category = filter.category;
  const rows = await db.product.findMany({
    where: { AND: [where, cursorWhere(window, null, "asc") as Prisma.ProductWhereInput] },
    orderBy: { sku: dir },
    take: window.limit + 1,
  });
  // Products are keyed by sku; the cursor holds it in the id slot.
  return buildConnection(
    rows,
    window,
    (p) => [p.sku],
    () => db.product.count({ where }),
  );
}

export interface PositionFilter {
  sku?: string | null;
  locationId?: string | null;
  belowAvailable?: number | null;
}

/** SQL for available, kept next to domain.available so the two cannot drift unnoticed. */
const availableSql = Prisma.sql`("onHand" - "allocated" - "reserved" - "damaged" - "qualityHold" - "safetyStock")`;

export async function listPositions(
  db: Db,
  allLocations: () => Promise<{ id: string; parentId: string | null }[]>,
  filter: PositionFilter | null | undefined,
  first?: number | null,
  after?: string | null,
): Promise<ConnectionModel<InventoryPosition>> {
  const limit = pageSize(first);
  const conditions: Prisma.Sql[] = [];
  if (filter?.sku) conditions.push(Prisma.sql`"sku" = ${filter.sku}`);
  if (filter?.locationId) {
    const tree = await allLocations();
    if (!tree.some((l) => l.id === filter.locationId)) {
      throw new DomainError(ErrorCode.INVALID_ARGUMENT, `filter.locationId "${filter.locationId}" is not a known location`, { argument: "filter.locationId" });
    }
    conditions.push(Prisma.sql`"locationId" = ANY(${[...descendantsOf(filter.locationId, tree)]})`);
  }
  if (filter?.belowAvailable != null) conditions.push(Prisma.sql`${availableSql} < ${filter.belowAvailable}`);
  const where = conditions.length ? Prisma.sql`WHERE ${Prisma.join(conditions, " AND ")}` : Prisma.empty;
  const cursor = decodeCursor(after, 1);
  const [cursorSku, cursorLocation] = cursor ? splitPositionId(cursor[0]) : [null, null];
  const cursorSql = cursor
    ? Prisma.sql`${conditions.length ? Prisma.sql`AND` : Prisma.sql`WHERE`} ("sku", "locationId") > (${cursorSku}, ${cursorLocation})`
    : Prisma.empty;
  const rows = await db.$queryRaw<InventoryPosition[]>`
    SELECT * FROM "inventory"."InventoryPosition" ${where} ${cursorSql}
    ORDER BY "sku", "locationId" LIMIT ${limit + 1}`;
  return buildConnection(
    rows,
    { limit, cursor, backward: false },
    (p) => [positionId(p.sku, p.locationId)],
    async () => {
      const [{ n }] = await db.$queryRaw<{ n: bigint }[]>`SELECT COUNT(*) AS n FROM "inventory"."InventoryPosition" ${where}`;
      return Number(n);
    },
  );
}

function splitPositionId(id: string): [string, string] {
  const at = id.lastIndexOf("@");
  if (at <= 0) throw new DomainError(ErrorCode.INVALID_CURSOR, `Argument "after" is not a cursor issued by this field`, { argument: "after" });
  return [id.slice(0, at), id.slice(at + 1)];
}

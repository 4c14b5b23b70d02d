import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../../app/.server/db/connection";
import { applyMigrations, readMigrations } from "../../../app/.server/db/migrate";
import { createTestDatabase } from "../../setup/database";

describe("migrations", () => {
  let db: Database;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => db.close());

  it("are already applied to a test database and re-applying is a no-op", async () => {
    const report = await applyMigrations(db.sql);
    expect(report.applied).toEqual([]);
    expect(report.alreadyApplied).toEqual(readMigrations().map((m) => m.name));
  });

  it("refuse a migration whose file changed after it was applied", async () => {
    const [first, ...rest] = readMigrations();
    const edited = { ...first!, checksum: "0".repeat(64) };
    await expect(applyMigrations(db.sql, [edited, ...rest])).rejects.toThrow(/was changed after it was applied/);
  });

  it("roll back a failing migration completely", async () => {
    const broken = { name: "9999_broken", checksum: "x", sql: `CREATE TABLE "half" (id int); SELECT * FROM "no_such_table";` };
    await expect(applyMigrations(db.sql, [...readMigrations(), broken])).rejects.toThrow(/9999_broken failed/);
    const { rows } = await db.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM information_schema.tables WHERE table_name = 'half'`);
    expect(rows[0]!.n).toBe(0);
  });

  it("let Prisma read and write every model", async () => {
    await db.prisma.shop.create({ data: { shop: "a.myshopify.com" } });
    await db.prisma.product.create({
      data: { shop: "a.myshopify.com", id: "gid://shopify/Product/1", handle: "p", title: "P", status: "ACTIVE", tags: ["x"], data: {} },
    });
    await db.prisma.variant.create({
      data: { shop: "a.myshopify.com", id: "gid://shopify/ProductVariant/1", productId: "gid://shopify/Product/1", title: "V", price: "1.50", data: {} },
    });
    expect(await db.prisma.variant.count({ where: { shop: "a.myshopify.com" } })).toBe(1);
  });
});

import { createHash } from "node:crypto";
import { readdirSync, readFileSync, existsSync } from "node:fs";
import path from "node:path";
import type { SqlExecutor } from "./connection";

/**
 * Applies prisma/migrations/NNNN_name/migration.sql in name order, each in its own transaction,
 * and records it with a checksum. A migration already applied whose file changed afterwards is an
 * error: migrations are append-only. An advisory lock keeps two processes from migrating at once.
 *
 * Why our own runner: the Prisma 7 CLI downloads a native engine for every migrate command, which
 * a closed network cannot do (docs/decisions/0003-migrations-as-sql.md).
 */
export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export interface MigrationReport {
  applied: string[];
  alreadyApplied: string[];
}

const MIGRATION_LOCK_KEY = 727_001; // arbitrary, fixed: the advisory lock Shelfcast migrations take

export function defaultMigrationsDir(): string {
  return path.resolve(process.cwd(), "prisma/migrations");
}

export function readMigrations(dir = defaultMigrationsDir()): Migration[] {
  if (!existsSync(dir)) throw new Error(`migrations folder not found: ${dir}`);
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(path.join(dir, entry.name, "migration.sql")))
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(path.join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    });
}

export async function applyMigrations(db: SqlExecutor, migrations: Migration[] = readMigrations()): Promise<MigrationReport> {
  await db.exec(`CREATE TABLE IF NOT EXISTS "_shelfcast_migrations" (
    "name" TEXT PRIMARY KEY,
    "checksum" TEXT NOT NULL,
    "applied_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP
  )`);
  await db.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK_KEY]);
  try {
    const { rows } = await db.query<{ name: string; checksum: string }>(`SELECT "name", "checksum" FROM "_shelfcast_migrations"`);
    const done = new Map(rows.map((row) => [row.name, row.checksum]));
    const report: MigrationReport = { applied: [], alreadyApplied: [] };
    for (const migration of migrations) {
      const recorded = done.get(migration.name);
      if (recorded) {
        if (recorded !== migration.checksum) {
          throw new Error(
            `migration ${migration.name} was changed after it was applied (checksum differs); add a new migration instead of editing an applied one`,
          );
        }
        report.alreadyApplied.push(migration.name);
        continue;
      }
      // One transaction per migration: a failing migration leaves no half-applied schema.
      await db.exec(`BEGIN;\n${migration.sql}\n;INSERT INTO "_shelfcast_migrations" ("name", "checksum") VALUES ('${migration.name.replace(/'/g, "''")}', '${migration.checksum}');\nCOMMIT;`).catch(async (error: unknown) => {
        await db.exec("ROLLBACK").catch(() => undefined);
        throw new Error(`migration ${migration.name} failed: ${(error as Error).message}`);
      });
      report.applied.push(migration.name);
    }
    return report;
  } finally {
    await db.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK_KEY]);
  }
}

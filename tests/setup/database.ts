import { randomBytes } from "node:crypto";
import pg from "pg";
import { applyMigrations } from "../../app/.server/db/migrate";
import { openDatabase, type Database } from "../../app/.server/db/connection";
import { TEMPLATE_DATABASE, TEST_POSTGRES_URL, TEST_PROFILE } from "./profile";

/**
 * A fresh, migrated database for one test file: an in-memory PGlite loaded from the migrated
 * snapshot (embedded profile) or a PostgreSQL database cloned from the migrated template (scale).
 */
export async function createTestDatabase(): Promise<Database> {
  if (TEST_PROFILE === "scale") {
    const name = `shelfcast_test_${process.pid}_${randomBytes(4).toString("hex")}`;
    const admin = new pg.Client({ connectionString: TEST_POSTGRES_URL });
    await admin.connect();
    try {
      await admin.query(`CREATE DATABASE ${name} TEMPLATE ${TEMPLATE_DATABASE}`);
    } finally {
      await admin.end();
    }
    const url = new URL(TEST_POSTGRES_URL);
    url.pathname = `/${name}`;
    // Dropped by the global teardown (tests/setup/global.ts) once every test process has exited:
    // dropping it here could cut a connection some pool has not closed yet.
    return openDatabase({ kind: "postgres", connectionString: url.toString(), poolSize: 4 });
  }
  const db = openDatabase({ kind: "pglite", dataDir: "memory://" });
  await applyMigrations(db.sql);
  return db;
}

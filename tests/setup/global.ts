import pg from "pg";
import { applyMigrations } from "../../app/.server/db/migrate";
import { TEMPLATE_DATABASE, TEST_POSTGRES_URL, TEST_PROFILE } from "./profile";

/**
 * Migrates one template database per run; every test file then gets its own copy
 * (tests/setup/database.ts), so files never see each other's rows.
 */
export default async function setup() {
  if (TEST_PROFILE === "scale") {
    const admin = new pg.Client({ connectionString: TEST_POSTGRES_URL });
    await admin.connect();
    try {
      await dropTestDatabases(admin); // leftovers of an interrupted run
      await admin.query(`DROP DATABASE IF EXISTS ${TEMPLATE_DATABASE} WITH (FORCE)`);
      await admin.query(`CREATE DATABASE ${TEMPLATE_DATABASE}`);
    } finally {
      await admin.end();
    }
    const url = new URL(TEST_POSTGRES_URL);
    url.pathname = `/${TEMPLATE_DATABASE}`;
    const template = new pg.Client({ connectionString: url.toString() });
    await template.connect();
    try {
      await applyMigrations({
        query: async (sql, params) => ({ rows: (await template.query(sql, params)).rows }),
        exec: async (sql) => void (await template.query(sql)),
      });
    } finally {
      await template.end();
    }
    return teardown;
  }
  // Embedded profile: each test file boots its own in-memory PGlite and migrates it
  // (tests/setup/database.ts); PGlite 0.5 cannot load a dumped data dir in memory.
}

/** Every per-file database of this suite (they all start with shelfcast_test_). */
async function dropTestDatabases(admin: pg.Client): Promise<void> {
  const { rows } = await admin.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE 'shelfcast\\_test\\_%'`);
  for (const { datname } of rows) await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
}

async function teardown() {
  const admin = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  await admin.connect();
  try {
    await dropTestDatabases(admin);
  } finally {
    await admin.end();
  }
}

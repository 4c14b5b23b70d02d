import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { PGlite, types, type SerializerOptions } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import pg from "pg";
import { PrismaClient } from "~/generated/prisma/client";
import { logger } from "../logger";

/**
 * A minimal SQL surface shared by the migration runner, pg-boss and tests, so each works the
 * same on PGlite (embedded default) and on a PostgreSQL server (scale profile).
 */
export interface SqlExecutor {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<{ rows: T[] }>;
  exec(sql: string): Promise<void>;
}

export type DatabaseTarget =
  | { kind: "pglite"; dataDir: string }
  | { kind: "postgres"; connectionString: string; poolSize?: number };

export interface Database {
  target: DatabaseTarget;
  prisma: PrismaClient;
  sql: SqlExecutor;
  /** Runs `work` in one transaction on one connection: all of its statements commit, or none. */
  transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  /** Present in the embedded profile: pg-boss and Prisma share this one in-process engine. */
  pglite?: PGlite;
  /** Present in the scale profile. */
  pool?: pg.Pool;
  close(): Promise<void>;
}

/**
 * The embedded engine's memory settings. PGlite keeps its shared buffers inside its WebAssembly
 * memory, which only ever grows, so they are resident for the life of the process. PostgreSQL's
 * default 128 MB cost the embedded process about 110 MB of resident memory; with 16 MB a
 * 100,000-variant sync runs at the same speed (measured), the operating system's file cache holding
 * the rest of the pages.
 */
const PGLITE_SETTINGS = ["shared_buffers=16MB"];

/**
 * PGlite creates a new database folder (initdb) inside the process that opens it, and keeps the
 * WebAssembly memory initdb grew to for as long as that process lives (measured: about 250 MB of
 * resident memory more than opening an existing folder). A new folder is therefore created by a
 * short-lived child process, once; this process then opens an existing database.
 */
function initializeDataDir(dataDir: string): void {
  if (existsSync(path.join(dataDir, "PG_VERSION"))) return;
  const entry = createRequire(import.meta.url).resolve("@electric-sql/pglite");
  const script = `const { PGlite } = require(${JSON.stringify(entry)});
(async () => { const db = new PGlite({ dataDir: ${JSON.stringify(dataDir)} }); await db.waitReady; await db.close(); })()
  .catch((error) => { console.error(error); process.exit(1); });`;
  const result = spawnSync(process.execPath, ["-e", script], { stdio: ["ignore", "ignore", "pipe"], encoding: "utf8", timeout: 5 * 60_000 });
  if (result.status !== 0) throw new Error(`could not create the embedded database in ${dataDir}: ${result.stderr || result.error?.message || `exit ${result.status}`}`);
}

export function openDatabase(target: DatabaseTarget): Database {
  if (target.kind === "pglite") {
    const inMemory = target.dataDir.startsWith("memory://");
    if (!inMemory) {
      mkdirSync(target.dataDir, { recursive: true });
      initializeDataDir(target.dataDir);
    }
    // pg_trgm backs the feed issues search (migration 0009); PGlite loads extensions only when asked.
    const pglite = new PGlite({
      ...(inMemory ? {} : { dataDir: target.dataDir }),
      extensions: { pg_trgm },
      startParams: [...PGlite.defaultStartParams, ...PGLITE_SETTINGS.flatMap((setting) => ["-c", setting])],
    });
    const prisma = new PrismaClient({ adapter: new PrismaPGlite(pglite) });
    const serializers = largeParameterSerializers(pglite);
    const sql: SqlExecutor = {
      query: async <T,>(text: string, params?: unknown[]) => ({ rows: (await pglite.query<T>(text, params, { serializers })).rows }),
      exec: async (text) => {
        await pglite.exec(text);
      },
    };
    return {
      target,
      prisma,
      sql,
      pglite,
      transaction: (work) =>
        pglite.transaction((tx) =>
          work({
            query: async <T,>(text: string, params?: unknown[]) => ({ rows: (await tx.query<T>(text, params, { serializers })).rows }),
            exec: async (text) => {
              await tx.exec(text);
            },
          }),
        ),
      async close() {
        await prisma.$disconnect();
        if (!pglite.closed) await pglite.close();
      },
    };
  }
  const pool = new pg.Pool({ connectionString: target.connectionString, max: target.poolSize ?? 10 });
  // An idle connection the server closes (restart, failover) is reported here; unheard, it would
  // crash the process. The pool replaces the connection on next use.
  pool.on("error", (error) => logger.warn({ err: error }, "database connection lost; the pool will reconnect"));
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  const sql: SqlExecutor = {
    query: async <T,>(text: string, params?: unknown[]) => ({ rows: (await pool.query(text, params)).rows as T[] }),
    exec: async (text) => {
      await pool.query(text);
    },
  };
  return {
    target,
    prisma,
    sql,
    pool,
    async transaction(work) {
      const client = await pool.connect();
      try {
        await client.query("BEGIN");
        const result = await work({
          query: async <T,>(text: string, params?: unknown[]) => ({ rows: (await client.query(text, params)).rows as T[] }),
          exec: async (text) => {
            await client.query(text);
          },
        });
        await client.query("COMMIT");
        return result;
      } catch (error) {
        await client.query("ROLLBACK").catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    async close() {
      await prisma.$disconnect();
      await pool.end();
    },
  };
}

/** From this many UTF-16 code units on, a text or JSON parameter is handed to PGlite as UTF-8 bytes. */
const LARGE_PARAMETER_LENGTH = 16_384;

/**
 * PGlite sends a string parameter by measuring its UTF-8 length one character at a time in
 * JavaScript, then encoding it: for the megabytes of JSON a catalog sync writes per statement, that
 * was a seventh of the embedded sync's time. Large text, json and jsonb parameters go as bytes
 * instead (binary format, which for these types is the UTF-8 text; jsonb's starts with its version
 * byte, 1), encoded natively by Buffer. Smaller values keep PGlite's own serializer.
 */
function largeParameterSerializers(pglite: PGlite): SerializerOptions {
  const asBytes = (oid: number, versionByte?: number) => {
    const serialize = pglite.serializers[oid] ?? types.serializers[oid]!;
    return (value: unknown) => {
      const text = serialize(value);
      if (text.length < LARGE_PARAMETER_LENGTH) return text;
      const bytes = Buffer.from(text, "utf8");
      // The bind message takes any byte view as a binary-format value (Serializer is typed to string).
      return (versionByte === undefined ? bytes : Buffer.concat([Buffer.of(versionByte), bytes])) as unknown as string;
    };
  };
  return { [types.TEXT]: asBytes(types.TEXT), [types.JSON]: asBytes(types.JSON), [types.JSONB]: asBytes(types.JSONB, 1) };
}

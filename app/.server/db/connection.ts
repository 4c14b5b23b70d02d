import { mkdirSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
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

export function openDatabase(target: DatabaseTarget): Database {
  if (target.kind === "pglite") {
    const inMemory = target.dataDir.startsWith("memory://");
    if (!inMemory) mkdirSync(target.dataDir, { recursive: true });
    const pglite = new PGlite(inMemory ? undefined : target.dataDir);
    const prisma = new PrismaClient({ adapter: new PrismaPGlite(pglite) });
    const sql: SqlExecutor = {
      query: async <T,>(text: string, params?: unknown[]) => ({ rows: (await pglite.query<T>(text, params)).rows }),
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
            query: async <T,>(text: string, params?: unknown[]) => ({ rows: (await tx.query<T>(text, params)).rows }),
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

import { randomBytes } from "node:crypto";
import { connect, createServer, type Socket } from "node:net";
import type { PGlite, Transaction } from "@electric-sql/pglite";
import pg from "pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { applyMigrations } from "../../app/.server/db/migrate";
import { openDatabase, type Database, type SqlExecutor } from "../../app/.server/db/connection";
import { PrismaClient } from "../../app/generated/prisma/client";
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

/**
 * Another handle on the same database, as a second worker process opens it: its own connection pool
 * on the scale profile. PGlite runs inside this process and cannot be opened twice, so on the
 * embedded profile the handle shares the engine; closing it leaves the engine open for its owner.
 */
export function openSameDatabase(db: Database): Database {
  if (db.target.kind === "postgres") return openDatabase({ kind: "postgres", connectionString: db.target.connectionString, poolSize: 4 });
  return { ...db, close: async () => undefined };
}

/** A handle on the same database whose every use fails once `kill()` is called: the database side of a worker process dying. */
export interface KillableDatabase {
  db: Database;
  /** From now on nothing done through this handle reaches the database. */
  kill(): Promise<void>;
}

/**
 * A worker process's own handle on the test database that can be cut off at once, as when the
 * process is killed: afterwards its queries, transactions and job-queue writes all fail, while the
 * owner's handle goes on. Scale profile: its pools connect through a TCP relay that is torn down.
 * Embedded profile: its calls into the shared PGlite engine are refused.
 */
export async function openKillableDatabase(db: Database): Promise<KillableDatabase> {
  if (db.target.kind === "postgres") return killablePostgres(db.target.connectionString);
  if (!db.pglite) throw new Error("an embedded database has a PGlite engine");
  return killablePglite(db.pglite, db.target);
}

const KILLED = "the worker process was killed";

function killablePglite(pglite: PGlite, target: Database["target"]): KillableDatabase {
  let dead = false;
  const refuse = () => Promise.reject(new Error(KILLED));
  const guardTransaction = (tx: Transaction): Transaction =>
    new Proxy(tx, {
      get(inner, property) {
        const value = Reflect.get(inner, property, inner) as unknown;
        if (typeof value !== "function") return value;
        const bound = (value as (...args: unknown[]) => unknown).bind(inner);
        return property === "query" || property === "exec" || property === "sql" ? (...args: unknown[]) => (dead ? refuse() : bound(...args)) : bound;
      },
    });
  const engine = new Proxy(pglite, {
    get(inner, property) {
      const value = Reflect.get(inner, property, inner) as unknown;
      if (typeof value !== "function") return value;
      const bound = (value as (...args: unknown[]) => unknown).bind(inner);
      if (property === "transaction") {
        return (work: (tx: Transaction) => Promise<unknown>) => (dead ? refuse() : inner.transaction((tx) => work(guardTransaction(tx))));
      }
      return property === "query" || property === "exec" || property === "sql" ? (...args: unknown[]) => (dead ? refuse() : bound(...args)) : bound;
    },
  });
  const prisma = new PrismaClient({ adapter: new PrismaPGlite(engine) });
  const sql: SqlExecutor = {
    query: async <T,>(text: string, params?: unknown[]) => ({ rows: (await engine.query<T>(text, params)).rows }),
    exec: async (text) => void (await engine.exec(text)),
  };
  const handle: Database = {
    target,
    prisma,
    sql,
    pglite: engine,
    transaction: (work) =>
      engine.transaction((tx) =>
        work({ query: async <T,>(text: string, params?: unknown[]) => ({ rows: (await tx.query<T>(text, params)).rows }), exec: async (text) => void (await tx.exec(text)) }),
      ),
    // The engine belongs to the owner's handle.
    close: async () => prisma.$disconnect(),
  };
  return {
    db: handle,
    kill: async () => {
      dead = true;
    },
  };
}

/** A TCP relay to the PostgreSQL server: every pool of the handle connects through it, so tearing it down cuts them all. */
async function killablePostgres(connectionString: string): Promise<KillableDatabase> {
  const upstream = new URL(connectionString);
  const sockets = new Set<Socket>();
  const relay = createServer((client) => {
    const server = connect(Number(upstream.port || 5432), upstream.hostname);
    for (const socket of [client, server]) {
      sockets.add(socket);
      socket.on("close", () => sockets.delete(socket));
      socket.on("error", () => undefined);
    }
    client.pipe(server).pipe(client);
  });
  await new Promise<void>((resolve) => relay.listen(0, "127.0.0.1", resolve));
  const address = relay.address();
  if (address === null || typeof address === "string") throw new Error("the relay has a TCP port");
  const relayed = new URL(connectionString);
  relayed.hostname = "127.0.0.1";
  relayed.port = String(address.port);
  return {
    db: openDatabase({ kind: "postgres", connectionString: relayed.toString(), poolSize: 4 }),
    kill: async () => {
      const closed = new Promise<void>((resolve) => relay.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}

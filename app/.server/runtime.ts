import type { PgBoss } from "pg-boss";
import { env as readEnv, type Env } from "~/env.server";
import { openDatabase, type Database, type DatabaseTarget } from "./db/connection";
import { applyMigrations } from "./db/migrate";
import { createQueue, ensureQueues } from "./jobs/queue";
import { logger } from "./logger";

/**
 * The process's shared handles: validated environment, database, job queue. Created once; the
 * web server (through entry.server's `boot`), the worker process and the CLI all start it the same
 * way, so there is one code path per profile.
 */
export interface Runtime {
  env: Env;
  db: Database;
  boss: PgBoss;
  /** Registers something to stop (a timer, a loop) before the queue and database close. */
  onStop(stopper: () => void): void;
  stop(): Promise<void>;
}

export function databaseTargetFor(env: Env): DatabaseTarget {
  return env.DATABASE_URL
    ? { kind: "postgres", connectionString: env.DATABASE_URL }
    : { kind: "pglite", dataDir: env.PGLITE_DATA_DIR };
}

export interface StartOptions {
  env?: Env;
  db?: Database;
  /** Register job handlers in this process. Defaults to env.runWorker. */
  worker?: boolean;
}

export async function startRuntime(options: StartOptions = {}): Promise<Runtime> {
  const env = options.env ?? readEnv();
  const db = options.db ?? openDatabase(databaseTargetFor(env));
  const migrations = await applyMigrations(db.sql);
  if (migrations.applied.length > 0) logger.info({ applied: migrations.applied }, "database migrated");
  const boss = createQueue(db);
  boss.on("error", (error) => logger.error({ err: error }, "job queue error"));
  await boss.start();
  await ensureQueues(boss);
  const stoppers: (() => void)[] = [];
  const runtime: Runtime = {
    env,
    db,
    boss,
    onStop: (stopper) => stoppers.push(stopper),
    async stop() {
      for (const stopper of stoppers) stopper();
      await boss.stop({ graceful: true, timeout: 5_000 });
      await db.close();
    },
  };
  if (options.worker ?? env.runWorker) {
    const { startWorkers } = await import("./jobs/worker");
    await startWorkers(runtime);
    logger.info({ profile: env.profile }, "job worker started in this process");
  }
  return runtime;
}

const holder = globalThis as unknown as { __shelfcastRuntime?: Promise<Runtime> };

/** The process runtime, started on first use (the web server starts it at boot). */
export function getRuntime(): Promise<Runtime> {
  holder.__shelfcastRuntime ??= startRuntime().catch((error: unknown) => {
    holder.__shelfcastRuntime = undefined;
    throw error;
  });
  return holder.__shelfcastRuntime;
}

/** Tests install a runtime on their own isolated database. */
export function setRuntime(runtime: Runtime | undefined): void {
  holder.__shelfcastRuntime = runtime ? Promise.resolve(runtime) : undefined;
}

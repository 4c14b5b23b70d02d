import { env } from "~/env.server";
import { openDatabase } from "~/.server/db/connection";
import { applyMigrations } from "~/.server/db/migrate";
import { databaseTargetFor } from "~/.server/runtime";
import type { Command } from "../command";

export const migrateCommand: Command = {
  summary: "Apply prisma/migrations to the configured database (PGlite folder or DATABASE_URL)",
  usage: "Usage: shelfcast migrate\n\nUses DATABASE_URL when set (scale profile), otherwise the PGlite folder in PGLITE_DATA_DIR.",
  async run(_argv, io) {
    const db = openDatabase(databaseTargetFor(env()));
    try {
      const report = await applyMigrations(db.sql);
      io.err.write(
        `shelfcast migrate: ${report.applied.length} applied${report.applied.length ? ` (${report.applied.join(", ")})` : ""}, ${report.alreadyApplied.length} already applied\n`,
      );
      return 0;
    } finally {
      await db.close();
    }
  },
};

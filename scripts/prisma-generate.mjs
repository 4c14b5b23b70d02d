// Runs `prisma generate` after every install. Prisma 7's CLI tries to download its native
// schema engine even for `generate`, which a closed network (this machine, many CI runners)
// cannot do; generate does not need that engine, so we point the variable at a harmless binary.
// See ../shared/guides/stack-notes.md §4.2 and docs/decisions/0003-migrations-as-sql.md.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

const env = { ...process.env, PRISMA_HIDE_UPDATE_MESSAGE: "1", CHECKPOINT_DISABLE: "1" };
if (!env.PRISMA_SCHEMA_ENGINE_BINARY) {
  const stand_in = ["/usr/bin/false", "/bin/false"].find((p) => existsSync(p));
  if (stand_in) env.PRISMA_SCHEMA_ENGINE_BINARY = stand_in;
}
const prismaBin = new URL("../node_modules/.bin/prisma", import.meta.url).pathname;
const result = spawnSync(existsSync(prismaBin) ? prismaBin : "prisma", ["generate"], { stdio: "inherit", env, shell: process.platform === "win32" });
process.exit(result.status ?? 1);

import path from "node:path";
import { defineConfig } from "vitest/config";
import tsconfigPaths from "vite-tsconfig-paths";

function testLogEnv(): Record<string, string> {
  const file = process.env.SHELFCAST_TEST_LOG_FILE;
  return file ? { LOG_LEVEL: "debug", LOG_FILE: path.resolve(file) } : { LOG_LEVEL: "silent" };
}

/**
 * One suite, two profiles: `npm test` runs on in-process PGlite; SHELFCAST_TEST_PROFILE=scale runs
 * the same tests against the PostgreSQL server in TEST_DATABASE_URL (tests/setup/database.ts).
 */
export default defineConfig({
  plugins: [tsconfigPaths()],
  test: {
    include: ["tests/unit/**/*.test.ts", "tests/integration/**/*.test.ts", "tests/golden/**/*.test.ts"],
    setupFiles: ["tests/setup/msw.ts"],
    globalSetup: ["tests/setup/global.ts"],
    environment: "node",
    pool: "forks",
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // SHELFCAST_TEST_LOG_FILE keeps the run's logs (debug level) in that file, for the secrets check
    // of .ci/run (scripts/check-logs-for-secrets.mjs); without it tests log nothing.
    env: { NODE_ENV: "test", ...testLogEnv() },
  },
});

import { defineConfig } from "vitest/config";
import tsconfigPaths from "vite-tsconfig-paths";

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
    env: { NODE_ENV: "test", LOG_LEVEL: "silent" },
  },
});

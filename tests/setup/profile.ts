/** Which database engine the suite runs on: `embedded` (PGlite, default) or `scale` (PostgreSQL). */
export const TEST_PROFILE = process.env.SHELFCAST_TEST_PROFILE === "scale" ? "scale" : "embedded";
export const TEST_POSTGRES_URL = process.env.TEST_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
export const TEMPLATE_DATABASE = "shelfcast_test_template";

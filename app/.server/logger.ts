import pino from "pino";

/**
 * One structured logger. Secrets never reach a log line: tokens and HMAC headers are redacted by
 * path, and compliance webhook payloads (customer e-mail, phone) are never logged at all.
 */
export const REDACTED_PATHS = [
  "accessToken",
  "*.accessToken",
  "refreshToken",
  "*.refreshToken",
  "token",
  "*.token",
  "apiSecret",
  "*.apiSecret",
  "headers.authorization",
  "headers['x-shopify-hmac-sha256']",
];

const options: pino.LoggerOptions = {
  level: process.env.LOG_LEVEL ?? (process.env.NODE_ENV === "test" ? "silent" : "info"),
  redact: { paths: REDACTED_PATHS, censor: "[redacted]" },
  base: { app: "shelfcast" },
};

/**
 * LOG_FILE appends the lines to that file instead of writing them to stdout. The test run sets it
 * (SHELFCAST_TEST_LOG_FILE, vitest.config.ts) so CI can search a whole run's logs for secrets
 * (scripts/check-logs-for-secrets.mjs). Synchronous appends: the test processes share the file.
 */
export const logger = process.env.LOG_FILE
  ? pino(options, pino.destination({ dest: process.env.LOG_FILE, append: true, mkdir: true, sync: true }))
  : pino(options);

export type Logger = typeof logger;

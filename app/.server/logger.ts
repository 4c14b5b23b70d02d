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

export const logger = pino({
  level: process.env.LOG_LEVEL ?? (process.env.NODE_ENV === "test" ? "silent" : "info"),
  redact: { paths: REDACTED_PATHS, censor: "[redacted]" },
  base: { app: "shelfcast" },
});

export type Logger = typeof logger;

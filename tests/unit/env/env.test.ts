import { describe, expect, it } from "vitest";
import { EnvError, parseEnv } from "../../../app/env.server";

const SHOPIFY = { SHOPIFY_API_KEY: "key", SHOPIFY_API_SECRET: "secret", SHOPIFY_APP_URL: "https://shelfcast.example.com" };

function problemsOf(source: Record<string, string>): string[] {
  try {
    parseEnv(source);
    return [];
  } catch (error) {
    expect(error).toBeInstanceOf(EnvError);
    return (error as EnvError).problems;
  }
}

describe("environment", () => {
  it("refuses demo mode in production, naming the variable", () => {
    const problems = problemsOf({ NODE_ENV: "production", SHELFCAST_DEMO: "1", ...SHOPIFY });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^SHELFCAST_DEMO: demo mode .* must never run in production/);
  });

  it("refuses demo mode on a non-loopback address", () => {
    expect(problemsOf({ SHELFCAST_DEMO: "1", HOST: "0.0.0.0" })).toEqual([expect.stringMatching(/^HOST: demo mode only listens on a loopback address/)]);
  });

  it("names each missing Shopify credential outside demo mode", () => {
    const problems = problemsOf({ NODE_ENV: "production" });
    // Production also needs the keys that encrypt stored tokens (app/.server/security/secrets.ts).
    expect(problems.map((p) => p.split(":")[0])).toEqual(["SHELFCAST_SECRETS_KEYS", "SHOPIFY_API_KEY", "SHOPIFY_API_SECRET", "SHOPIFY_APP_URL"]);
  });

  it("names a malformed value", () => {
    expect(problemsOf({ SHELFCAST_DEMO: "1", DATABASE_URL: "mysql://x" })).toEqual([expect.stringMatching(/^DATABASE_URL: must be a postgres/)]);
    expect(problemsOf({ SHELFCAST_DEMO: "1", PORT: "seventy" })[0]).toMatch(/^PORT:/);
  });

  it("picks the profile from DATABASE_URL and runs the worker in-process only when embedded", () => {
    expect(parseEnv({ SHELFCAST_DEMO: "1" })).toMatchObject({ profile: "embedded", runWorker: true });
    expect(parseEnv({ ...SHOPIFY, DATABASE_URL: "postgresql://localhost/shelfcast" })).toMatchObject({ profile: "scale", runWorker: false });
  });
});

describe("environment for the CLI and schedules", () => {
  it("needs no Shopify credentials for CLI commands", () => {
    expect(parseEnv({ SHELFCAST_ROLE: "cli", NODE_ENV: "production" })).toMatchObject({ SHELFCAST_ROLE: "cli" });
    expect(problemsOf({ SHELFCAST_ROLE: "worker", NODE_ENV: "production" })).toHaveLength(4);
  });

  it("validates the reconciliation schedule", () => {
    expect(parseEnv({ SHELFCAST_DEMO: "1" }).SHELFCAST_RECONCILE_CRON).toBe("0 3 * * *");
    expect(problemsOf({ SHELFCAST_DEMO: "1", SHELFCAST_RECONCILE_CRON: "daily" })[0]).toMatch(/^SHELFCAST_RECONCILE_CRON: must be a five-field cron/);
  });
});

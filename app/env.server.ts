import { z } from "zod";
import { parseSecretKeys } from "./.server/security/secrets";

/**
 * Every environment variable Shelfcast reads, validated once at boot. A missing or malformed
 * value stops the process with a message naming the variable; nothing falls back silently.
 */
const LOOPBACK_HOSTS = new Set(["127.0.0.1", "localhost", "::1"]);
export const DEMO_SHOP = "shelfcast-demo.myshopify.com";

const flag = z
  .enum(["0", "1", "true", "false"])
  .transform((value) => value === "1" || value === "true");

export const EnvSchema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    SHELFCAST_DEMO: flag.default(false),
    HOST: z.string().min(1).default("127.0.0.1"),
    PORT: z.coerce.number().int().min(1).max(65535).default(3000),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, "must be a postgres:// or postgresql:// connection string")
      .optional(),
    PGLITE_DATA_DIR: z.string().min(1).default(".data/pglite"),
    SHELFCAST_RUN_WORKER: flag.optional(),
    SHELFCAST_DATA_DIR: z.string().min(1).default(".data"),
    SHOPIFY_API_KEY: z.string().min(1).optional(),
    SHOPIFY_API_SECRET: z.string().min(1).optional(),
    SHOPIFY_APP_URL: z.string().url().optional(),
    SCOPES: z.string().optional(),
    LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
    /** When the reconciliation full sync runs for every shop (cron, UTC). */
    SHELFCAST_RECONCILE_CRON: z
      .string()
      .regex(/^(\S+\s+){4}\S+$/, "must be a five-field cron expression, e.g. \"0 3 * * *\"")
      .default("0 3 * * *"),
    /**
     * How long a feed rebuild waits after a catalog change, so a burst of changes (a sync, an edit
     * session) becomes one rebuild.
     */
    SHELFCAST_FEED_DEBOUNCE_SECONDS: z.coerce.number().int().min(0).max(3600).default(30),
    /** What this process is: the web server, a job worker, or a CLI command (which never calls Shopify). */
    SHELFCAST_ROLE: z.enum(["web", "worker", "cli"]).default("web"),
    /**
     * Keys that encrypt stored secrets (ad platforms' access tokens): `keyId:base64-32-bytes`,
     * comma-separated, the first encrypts and all decrypt (app/.server/security/secrets.ts).
     */
    SHELFCAST_SECRETS_KEYS: z.string().optional(),
  })
  .superRefine((env, ctx) => {
    // CLI commands never decrypt tokens, and demo mode is refused in production above.
    if (env.NODE_ENV === "production" && !env.SHELFCAST_DEMO && env.SHELFCAST_ROLE !== "cli" && !env.SHELFCAST_SECRETS_KEYS) {
      ctx.addIssue({
        code: "custom",
        path: ["SHELFCAST_SECRETS_KEYS"],
        message: "is required in production to encrypt stored access tokens: set keyId:base64-of-32-bytes (e.g. k1:$(openssl rand -base64 32))",
      });
    }
    if (env.SHELFCAST_SECRETS_KEYS) {
      try {
        parseSecretKeys(env.SHELFCAST_SECRETS_KEYS);
      } catch (error) {
        ctx.addIssue({ code: "custom", path: ["SHELFCAST_SECRETS_KEYS"], message: (error as Error).message });
      }
    }
    if (env.SHELFCAST_DEMO && env.NODE_ENV === "production") {
      ctx.addIssue({
        code: "custom",
        path: ["SHELFCAST_DEMO"],
        message:
          "demo mode signs every loopback visitor in as the demo shop and must never run in production; unset SHELFCAST_DEMO or NODE_ENV=production",
      });
    }
    if (env.SHELFCAST_DEMO && !LOOPBACK_HOSTS.has(env.HOST)) {
      ctx.addIssue({
        code: "custom",
        path: ["HOST"],
        message: `demo mode only listens on a loopback address (127.0.0.1, localhost or ::1), not ${env.HOST}`,
      });
    }
    if (!env.SHELFCAST_DEMO && env.SHELFCAST_ROLE !== "cli") {
      for (const name of ["SHOPIFY_API_KEY", "SHOPIFY_API_SECRET", "SHOPIFY_APP_URL"] as const) {
        if (!env[name]) {
          ctx.addIssue({
            code: "custom",
            path: [name],
            message: "is required outside demo mode (the Shopify CLI sets it during `shopify app dev`)",
          });
        }
      }
    }
  });

export type Env = z.infer<typeof EnvSchema> & {
  /** `embedded`: PGlite in process. `scale`: a PostgreSQL server from DATABASE_URL. */
  profile: "embedded" | "scale";
  /** Whether this process also works the job queue (always in the embedded profile). */
  runWorker: boolean;
  apiKey: string;
  apiSecret: string;
  appUrl: string;
  scopes: string[];
};

export class EnvError extends Error {
  constructor(readonly problems: string[]) {
    super(`Shelfcast cannot start: the environment is invalid.\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "EnvError";
  }
}

/** Demo credentials: only ever used when SHELFCAST_DEMO=1, which production refuses. */
const DEMO_CREDENTIALS = { apiKey: "shelfcast-demo-key", apiSecret: "shelfcast-demo-secret" };
const DEFAULT_SCOPES = "read_products,write_products,read_inventory,read_locations,read_markets,write_pixels,read_customer_events";

export function parseEnv(source: Record<string, string | undefined>): Env {
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ""));
  const result = EnvSchema.safeParse(cleaned);
  if (!result.success) {
    throw new EnvError(result.error.issues.map((issue) => `${issue.path.join(".") || "environment"}: ${issue.message}`));
  }
  const env = result.data;
  const profile = env.DATABASE_URL ? "scale" : "embedded";
  return {
    ...env,
    profile,
    runWorker: env.SHELFCAST_RUN_WORKER ?? profile === "embedded",
    apiKey: env.SHOPIFY_API_KEY ?? DEMO_CREDENTIALS.apiKey,
    apiSecret: env.SHOPIFY_API_SECRET ?? DEMO_CREDENTIALS.apiSecret,
    appUrl: env.SHOPIFY_APP_URL ?? `http://${env.HOST}:${env.PORT}`,
    scopes: (env.SCOPES ?? DEFAULT_SCOPES).split(",").map((s) => s.trim()).filter(Boolean),
  };
}

export function isLoopbackHost(host: string): boolean {
  return LOOPBACK_HOSTS.has(host);
}

let cached: Env | undefined;

/** The validated environment of this process. Throws EnvError naming every bad variable. */
export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}

/** Tests change process.env between cases; this forgets the parsed copy. */
export function resetEnvForTests(): void {
  cached = undefined;
}

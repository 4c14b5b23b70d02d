import { existsSync, readFileSync } from "node:fs";
import { DEMO_SHOP } from "~/env.server";
import { sanitizeShopDomain } from "~/.server/http/frame-ancestors";
import type { CatalogFileRun } from "~/.server/services/channel-feeds/evaluate-catalog-file";
import { parseMappingFile } from "~/domain/channels/mapping/mapping-file";
import { ID_SCHEME_NAMES, MarketSchema } from "~/domain/channels/settings";
import { CHANNEL_IDS, isChannelId, type ChannelId, type IdSchemeName } from "~/domain/channels/types";
import { UsageError } from "./command";

/** Flags `feed` and `validate` share; parseArgs option shapes. */
export const CHANNEL_FLAGS = {
  input: { type: "string" },
  channel: { type: "string" },
  market: { type: "string" },
  currency: { type: "string" },
  language: { type: "string" },
  mapping: { type: "string" },
  shop: { type: "string" },
  storefront: { type: "string" },
  "id-scheme": { type: "string" },
  quiet: { type: "boolean" },
} as const;

export const CHANNEL_FLAGS_USAGE = [
  "  --input       Shopify bulk-operation JSONL, a products JSON export ({\"products\": [...]}) or Shopify's product CSV",
  `  --channel     ${CHANNEL_IDS.join(" | ")}`,
  "  --market      country code of the market (default US)",
  "  --currency    the market's currency, also the shop currency for files without one (default USD)",
  "  --language    language of the feed's text (default en)",
  "  --mapping     mapping rules JSON: one rule set, or [{\"channel\",\"market\",\"rules\"}] as the app stores them",
  `  --shop        the shop's myshopify domain, for links without a storefront URL (default ${DEMO_SHOP})`,
  "  --storefront  the storefront's base URL, e.g. https://example.com (default https://<shop>)",
  `  --id-scheme   ${ID_SCHEME_NAMES.join(" | ")} (default variant-id)`,
  "  --quiet       no progress on stderr",
];

type ChannelFlagValues = { [K in keyof typeof CHANNEL_FLAGS]?: (typeof CHANNEL_FLAGS)[K]["type"] extends "boolean" ? boolean : string };

/** Turns the shared flags into a run of the pipeline, or a UsageError naming the flag and why. */
export function channelRunFromFlags(flags: ChannelFlagValues, now: Date): { input: string; channel: ChannelId; run: CatalogFileRun } {
  if (!flags.input) throw new UsageError("--input is required");
  if (!existsSync(flags.input)) throw new UsageError(`--input ${flags.input}: no such file`);
  if (!flags.channel) throw new UsageError(`--channel is required (${CHANNEL_IDS.join(", ")})`);
  if (!isChannelId(flags.channel)) throw new UsageError(`--channel must be one of ${CHANNEL_IDS.join(", ")}, got "${flags.channel}"`);
  const channel = flags.channel;

  const market = MarketSchema.safeParse({ code: (flags.market ?? "US").toUpperCase(), currency: (flags.currency ?? "USD").toUpperCase(), language: flags.language ?? "en" });
  if (!market.success) throw new UsageError(market.error.issues.map((issue) => `--${flagOf(issue.path[0])}: ${issue.message}`).join("; "));

  const shopDomain = sanitizeShopDomain(flags.shop ?? DEMO_SHOP);
  if (!shopDomain) throw new UsageError(`--shop must be a *.myshopify.com domain, got "${flags.shop}"`);
  const storefront = flags.storefront ?? `https://${shopDomain}`;
  if (!/^https?:\/\/[^\s/]+/.test(storefront)) throw new UsageError(`--storefront must be an http(s) URL, got "${storefront}"`);

  const idScheme = (flags["id-scheme"] ?? "variant-id") as IdSchemeName;
  if (!(ID_SCHEME_NAMES as readonly string[]).includes(idScheme)) throw new UsageError(`--id-scheme must be one of ${ID_SCHEME_NAMES.join(", ")}`);

  let mappings: CatalogFileRun["mappings"] = [];
  if (flags.mapping) {
    if (!existsSync(flags.mapping)) throw new UsageError(`--mapping ${flags.mapping}: no such file`);
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(flags.mapping, "utf8"));
    } catch (error) {
      throw new UsageError(`--mapping ${flags.mapping} is not JSON: ${(error as Error).message}`);
    }
    const parsed = parseMappingFile(json, channel);
    if (!parsed.ok) throw new UsageError(`--mapping ${flags.mapping} has invalid rules:\n  ${parsed.errors.join("\n  ")}`);
    mappings = parsed.mappings;
  }

  return {
    input: flags.input,
    channel,
    run: {
      channels: [channel],
      market: market.data,
      shop: { domain: shopDomain, name: shopDomain.replace(/\.myshopify\.com$/, ""), currency: market.data.currency, storefrontUrl: storefront.replace(/\/+$/, "") },
      idScheme,
      mappings,
      now,
    },
  };
}

function flagOf(field: PropertyKey | undefined): string {
  return field === "code" ? "market" : String(field);
}

/** Progress on stderr, at most twice a second, for inputs big enough to wait for. */
export function progressReporter(err: NodeJS.WritableStream, quiet: boolean | undefined): CatalogFileRun["onProgress"] {
  if (quiet) return undefined;
  let last = 0;
  return ({ phase, bytesRead, totalBytes }) => {
    const now = Date.now();
    if (now - last < 500 || totalBytes < 5_000_000) return;
    last = now;
    // A bulk file is read twice: a quick pass checks each product's lines sit together, then the real one.
    const verb = phase === "checking" ? "checked" : "read";
    err.write(`  ${verb} ${(bytesRead / 1e6).toFixed(1)} of ${(totalBytes / 1e6).toFixed(1)} MB (${Math.round((100 * bytesRead) / totalBytes)}%)\n`);
  };
}

export function describeTally(label: string, tally: { products: number; itemsTotal: number; itemsReady: number; itemsWithErrors: number; itemsExcluded: number; itemsWithWarnings: number }): string {
  const n = (value: number) => value.toLocaleString("en-US");
  return (
    `${label}: ${n(tally.itemsTotal)} items in ${n(tally.products)} products — ${n(tally.itemsReady)} ready ` +
    `(${n(tally.itemsWithWarnings)} with warnings), ${n(tally.itemsWithErrors)} with errors, ${n(tally.itemsExcluded)} excluded`
  );
}

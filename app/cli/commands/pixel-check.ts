import { existsSync, statSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { readCatalogFile } from "~/.server/services/catalog-files/read-catalog-file";
import { createCatalogIdsCollector } from "~/.server/services/tracking/catalog-ids";
import { loadExtensionSource } from "~/.server/services/tracking/load-extension-source";
import { createIdScheme } from "~/domain/channels/id-scheme";
import { MarketSchema } from "~/domain/channels/settings";
import { countBySeverity, runChecks } from "~/domain/tracking";
import { DEFAULT_TRACKING_PLAN } from "~/domain/tracking/default-plan";
import { parseHar } from "~/domain/tracking/har";
import { parseTrackingPlan } from "~/domain/tracking/plan-schema";
import type { CatalogIds, ExtensionSource, Finding, TrackingPlan, TrafficEvent } from "~/domain/tracking/types";
import { parseFlags, UsageError, type Command, type CommandIo } from "../command";

export const DEFAULT_EXTENSION_DIR = "extensions/shelfcast-pixel";

/** The stable JSON line shape CI and support scripts read; keep these keys. */
export function findingLine(finding: Finding): string {
  return JSON.stringify({
    code: finding.code,
    check: finding.check,
    severity: finding.severity,
    platform: finding.platform,
    evidence: finding.evidence,
    message: finding.message,
    fix: finding.fix,
  });
}

function findingText(finding: Finding): string {
  const where = `${finding.evidence.source} ${finding.evidence.location}`;
  return `${finding.severity.toUpperCase()} ${finding.code} (check ${finding.check}, ${finding.platform ?? "all platforms"}) ${where}: ${finding.message}\n    fix: ${finding.fix}\n`;
}

/** A file named on the command line that is not there is bad usage (exit 2), said with the flag. */
function requireFile(flag: string, file: string): void {
  if (!existsSync(file)) throw new UsageError(`--${flag} ${file}: no such file`);
}

async function readJsonFile(flag: string, file: string): Promise<unknown> {
  requireFile(flag, file);
  const text = await readFile(file, "utf8");
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new Error(`--${flag} ${file} is not JSON: ${(error as Error).message}`);
  }
}

async function loadPlan(file: string | undefined): Promise<TrackingPlan> {
  if (!file) return DEFAULT_TRACKING_PLAN;
  const parsed = parseTrackingPlan(await readJsonFile("plan", file));
  if (!parsed.ok) throw new Error(`--plan ${file} is not a valid tracking plan:\n  ${parsed.errors.map((e) => `${e.path}: ${e.message}`).join("\n  ")}`);
  return parsed.plan;
}

async function loadExtension(dir: string): Promise<ExtensionSource> {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UsageError(`--extension ${dir}: no such folder`);
  return loadExtensionSource(dir);
}

async function loadTraffic(file: string): Promise<{ events: TrafficEvent[]; skipped: number }> {
  const parsed = parseHar(await readJsonFile("har", file));
  if (!parsed.ok) throw new Error(`--har ${file} is not a HAR file Shelfcast can read: ${parsed.error}`);
  return { events: parsed.events, skipped: parsed.skipped };
}

/** The catalog's ids through the plan's id scheme, for the content-id checks (13, 15). */
async function loadCatalog(file: string, plan: TrackingPlan, marketCode: string, io: CommandIo): Promise<CatalogIds & { products: number }> {
  requireFile("catalog", file);
  const market = MarketSchema.safeParse({ code: marketCode.toUpperCase(), currency: "USD", language: "en" });
  if (!market.success) throw new UsageError(`--market must be a country code such as US, got "${marketCode}"`);
  const catalog = await readCatalogFile(file);
  const collector = createCatalogIdsCollector(createIdScheme(plan.idScheme), [market.data]);
  for await (const product of catalog.products) collector.add(product);
  for (const problem of catalog.problems()) io.err.write(`  catalog problem: ${problem.message}\n`);
  return collector.result();
}

export const pixelCheckCommand: Command = {
  summary: "Check a tracking plan, the web pixel extension and a HAR session for naming, consent and id problems",
  usage: [
    "Usage: shelfcast pixel-check [--plan plan.json] [--har session.har] [--extension extensions/<name>] [--catalog <file>] [--json]",
    "",
    "  --plan        a tracking plan JSON as the app stores it (default: Shelfcast's default plan)",
    `  --extension   the web pixel extension folder (default ${DEFAULT_EXTENSION_DIR})`,
    "  --har         a HAR file exported from the browser's devtools (Network → Save all as HAR)",
    "  --catalog     the catalog, to check content ids: Shopify bulk JSONL, a products JSON export or the product CSV",
    "  --market      the market's country code, for the shopify-channel id scheme (default US)",
    "  --json        one JSON object per line: {code, check, severity, platform, evidence, message, fix}",
    "",
    "A summary goes to stderr. Exit codes: 0 no errors (warnings allowed), 1 at least one error, 2 bad usage",
    "or unreadable input.",
  ].join("\n"),
  async run(argv, io) {
    const flags = parseFlags(argv, {
      plan: { type: "string" },
      har: { type: "string" },
      extension: { type: "string" },
      catalog: { type: "string" },
      market: { type: "string" },
      json: { type: "boolean" },
    });
    const extensionDir = flags.extension ?? DEFAULT_EXTENSION_DIR;
    const plan = await loadPlan(flags.plan);
    const extension = await loadExtension(extensionDir);
    const traffic = flags.har ? await loadTraffic(flags.har) : null;
    const catalog = flags.catalog ? await loadCatalog(flags.catalog, plan, flags.market ?? "US", io) : null;

    const findings = runChecks({ plan, extension, traffic: traffic?.events, catalog: catalog ?? undefined });
    for (const finding of findings) io.out.write(flags.json ? `${findingLine(finding)}\n` : findingText(finding));

    const counts = countBySeverity(findings);
    const inputs = [
      `plan ${flags.plan ?? "(default)"}`,
      `extension ${path.normalize(extensionDir)}`,
      traffic ? `HAR ${flags.har}: ${traffic.events.length} platform events (${traffic.skipped} other requests skipped)` : "no traffic",
      catalog ? `catalog ${flags.catalog}: ${catalog.products} products, ${catalog.itemIds.size} item ids` : "no catalog",
    ];
    io.err.write(`pixel-check (${inputs.join("; ")}): ${counts.error} errors, ${counts.warning} warnings, ${counts.info} info\n`);
    return counts.error > 0 ? 1 : 0;
  },
};

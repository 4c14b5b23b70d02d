import { existsSync } from "node:fs";
import { DEMO_SHOP, env } from "~/env.server";
import { sanitizeShopDomain } from "~/.server/http/frame-ancestors";
import { startRuntime } from "~/.server/runtime";
import { ingestCatalogFile } from "~/.server/services/ingest-file";
import { parseFlags, UsageError, type Command } from "../command";

export const ingestCommand: Command = {
  summary: "Load a catalog (Shopify bulk JSONL, a products JSON export or Shopify's product CSV) into a shop's snapshot",
  usage: [
    "Usage: shelfcast ingest --input <file> [--shop <name>.myshopify.com] [--json]",
    "",
    "  --input   Shopify bulk-operation JSONL, or a products JSON export ({\"products\": [...]},",
    "            the Admin REST / webhook payload shape), or Shopify's product CSV (the admin's export)",
    `  --shop    the shop whose snapshot to replace (default ${DEMO_SHOP})`,
    "  --json    print the report as one JSON object",
    "",
    "The file is treated as the whole catalog: products it lacks are removed from the snapshot.",
    "Uses DATABASE_URL when set, otherwise the embedded database in PGLITE_DATA_DIR.",
    "Exit codes: 0 imported, 1 the file has problems (nothing written for a products export), 2 bad usage.",
  ].join("\n"),
  async run(argv, io) {
    const flags = parseFlags(argv, { input: { type: "string" }, shop: { type: "string" }, json: { type: "boolean" } });
    if (!flags.input) throw new UsageError("--input is required");
    if (!existsSync(flags.input)) throw new UsageError(`--input ${flags.input}: no such file`);
    const shop = sanitizeShopDomain(flags.shop ?? DEMO_SHOP);
    if (!shop) throw new UsageError(`--shop must be a *.myshopify.com domain, got "${flags.shop}"`);

    const runtime = await startRuntime({ env: env(), worker: false });
    try {
      const report = await ingestCatalogFile(runtime, shop, flags.input, () => new Date());
      if (flags.json) {
        io.out.write(`${JSON.stringify({ shop, ...report })}\n`);
      } else {
        const verb = report.status === "succeeded" ? "ingested" : "could not ingest";
        io.out.write(
          `${verb} ${flags.input} (${report.format}) into ${shop}: ${report.products} products, ${report.variants} variants; ` +
            `${report.added} added, ${report.changed} changed, ${report.removed} removed\n`,
        );
        for (const problem of report.problems) io.err.write(`  problem: ${problem}\n`);
      }
      return report.status === "succeeded" && report.problems.length === 0 ? 0 : 1;
    } finally {
      await runtime.stop();
    }
  },
};

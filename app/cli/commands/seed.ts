import { createWriteStream, mkdirSync } from "node:fs";
import path from "node:path";
import { once } from "node:events";
import { DEMO_CATALOG_DEFAULTS, generateCatalogJsonl } from "~/demo/generate-catalog";
import { parseFlags, positiveInteger, UsageError, type Command } from "../command";

export const seedCommand: Command = {
  summary: "Write a seeded demo catalog in Shopify's bulk-operation JSONL shape",
  usage: [
    "Usage: shelfcast seed --out <file> [--products N] [--seed N] [--now <ISO time>]",
    "",
    `  --out       where to write the JSONL (created with its folder)`,
    `  --products  number of products (default ${DEMO_CATALOG_DEFAULTS.products})`,
    `  --seed      generator seed; the same seed writes the same bytes (default ${DEMO_CATALOG_DEFAULTS.seed})`,
    "  --now       the moment pre-order dates are relative to (default: now)",
  ].join("\n"),
  async run(argv, io) {
    const flags = parseFlags(argv, {
      out: { type: "string" },
      products: { type: "string" },
      seed: { type: "string" },
      now: { type: "string" },
    });
    if (!flags.out) throw new UsageError("--out is required");
    const products = positiveInteger("products", flags.products, DEMO_CATALOG_DEFAULTS.products);
    const seed = positiveInteger("seed", flags.seed, DEMO_CATALOG_DEFAULTS.seed);
    const now = flags.now ?? new Date().toISOString();
    if (Number.isNaN(Date.parse(now))) throw new UsageError(`--now must be an ISO date-time, got "${now}"`);

    const file = path.resolve(flags.out);
    mkdirSync(path.dirname(file), { recursive: true });
    const out = createWriteStream(file, "utf8");
    let lines = 0;
    for (const line of generateCatalogJsonl({ seed, products, now })) {
      if (!out.write(`${line}\n`)) await once(out, "drain");
      lines += 1;
    }
    out.end();
    await once(out, "finish");
    io.err.write(`shelfcast seed: wrote ${products} products (${lines} JSONL lines) to ${file}\n`);
    return 0;
  },
};

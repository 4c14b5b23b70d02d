import path from "node:path";
import { describe, expect, it } from "vitest";
import { evaluateCatalogFile } from "../../app/.server/services/channel-feeds/evaluate-catalog-file";
import { demoChannelMappings } from "../../app/demo/demo-channel-rules";
import { CHANNEL_ADAPTERS } from "../../app/domain/channels/adapters";
import { CHANNEL_IDS, type ChannelId, type Diagnostic } from "../../app/domain/channels/types";
import { createFeedSerializer } from "../../app/domain/feeds/serializer";
import { generatedLines, writeLines } from "../factories/catalog-file";

/**
 * Golden files: every channel's feed and diagnostics for Shopify's own sample products and for a
 * generated catalog with the messy cases (ALL CAPS, emoji and over-long titles, bad barcodes,
 * small images, pre-orders, sold-out and untracked stock...). A change to mapping, validation or
 * serialization shows up here as a diff to review; `npx vitest -u tests/golden` accepts it.
 */
const REAL_PRODUCTS = path.resolve(__dirname, "../../../shared/data/real-products");
const INPUTS: { name: string; file: string }[] = [
  { name: "apparel", file: path.join(REAL_PRODUCTS, "apparel.csv") },
  { name: "jewelery", file: path.join(REAL_PRODUCTS, "jewelery.csv") },
  { name: "generated", file: writeLines(generatedLines(37, 7)) },
];
// A fixed "now" so date rules (pre-orders at most a year ahead) give the same answer every day.
const NOW = new Date("2026-11-22T12:00:00Z");


async function render(file: string, channel: ChannelId): Promise<{ feed: string; diagnostics: string }> {
  const adapter = CHANNEL_ADAPTERS[channel];
  const serializer = createFeedSerializer({
    format: adapter.formats[0]!,
    columns: adapter.columns,
    xml: { flavour: "rss-google", title: "Golden", link: "https://golden.example", description: "Golden feed" },
  });
  const parts = [serializer.header()];
  const diagnostics: Diagnostic[] = [];
  const result = await evaluateCatalogFile(
    file,
    {
      channels: [channel],
      market: { code: "US", currency: "USD", language: "en" },
      shop: { domain: "golden.myshopify.com", name: "Golden", currency: "USD", storefrontUrl: "https://golden.example" },
      idScheme: "variant-id",
      mappings: demoChannelMappings(),
      now: NOW,
    },
    (evaluation) => {
      for (const record of evaluation.records) parts.push(serializer.record(record));
      diagnostics.push(...evaluation.diagnostics);
    },
  );
  parts.push(serializer.footer());
  const summary = JSON.stringify(result.tallies[0]);
  const lines = diagnostics.map((d) => `${d.severity} ${d.code} ${d.itemId} ${d.field}: ${d.message} | fix: ${d.fix}`);
  return { feed: parts.join(""), diagnostics: `${summary}\n${lines.join("\n")}\n` };
}

describe("channel feeds (golden files)", () => {
  for (const input of INPUTS) {
    for (const channel of CHANNEL_IDS) {
      it(`${channel} on ${input.name}`, async () => {
        const { feed, diagnostics } = await render(input.file, channel);
        const extension = CHANNEL_ADAPTERS[channel].formats[0];
        await expect(feed).toMatchFileSnapshot(`./__golden__/${input.name}.${channel}.${extension}`);
        await expect(diagnostics).toMatchFileSnapshot(`./__golden__/${input.name}.${channel}.diagnostics.txt`);
      });
    }
  }
});

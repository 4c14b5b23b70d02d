import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parse as parseCsv } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import type { Variant } from "../../../app/domain/catalog/types";
import { assembleAll, generatedLines, writeLines } from "../../factories/catalog-file";
import { runCli } from "../../setup/cli";

const lines = generatedLines(40);
const products = assembleAll(lines);
const catalog = writeLines(lines);
const outDir = mkdtempSync(path.join(tmpdir(), "shelfcast-feed-rules-"));
const RULES_FIXTURES = path.resolve(__dirname, "../../fixtures/rules");

const variants = new Map<string, { variant: Variant; tags: string[] }>(
  products.flatMap((product) => product.variants.map((variant) => [variant.id.split("/").pop()!, { variant, tags: product.tags }] as const)),
);

function stockOf(variant: Variant): number {
  const levels = variant.inventoryItem.levels;
  return levels.length > 0 ? levels.reduce((sum, level) => sum + level.available, 0) : variant.availableQuantity;
}

function writeJson(name: string, value: unknown): string {
  const file = path.join(outDir, name);
  writeFileSync(file, JSON.stringify(value));
  return file;
}

async function metaFeed(...extra: string[]): Promise<{ code: number; err: string; rows: Record<string, string>[] }> {
  const out = path.join(outDir, `meta-${Math.random().toString(36).slice(2)}.csv`);
  const { code, err } = await runCli("feed", "--input", catalog, "--channel", "meta", "--out", out, "--quiet", ...extra);
  const rows = code === 0 ? (parseCsv(readFileSync(out, "utf8"), { columns: true, bom: true }) as Record<string, string>[]) : [];
  return { code, err, rows };
}

/** Rows of counted, in-stock variants: the ones whose quantity the rules change. */
function countedRows(rows: Record<string, string>[]) {
  return rows.flatMap((row) => {
    const found = variants.get(row.id!);
    if (!found || !found.variant.inventoryItem.tracked || stockOf(found.variant) <= 0) return [];
    return [{ row, stock: stockOf(found.variant), tags: found.tags }];
  });
}

describe("shelfcast feed --rules, --campaigns, --at", () => {
  const keepThree = writeJson("keep-3.json", { version: 1, channels: ["meta"], rules: [{ id: "keep-3", scope: "shop", reserve: { units: 3 } }] });

  it("writes the buffered quantities: stock minus the web store's 3", async () => {
    const { code, err, rows } = await metaFeed("--rules", keepThree, "--at", "2026-03-06T12:00:00Z");
    expect(code).toBe(0);
    const counted = countedRows(rows);
    expect(counted.length).toBeGreaterThan(5);
    for (const { row, stock } of counted) expect(row.quantity_to_sell_on_facebook).toBe(String(Math.max(0, stock - 3)));
    expect(err).toMatch(/offers: stock rules .*keep-3\.json \(1 rule\) at 2026-03-06T12:00:00\.000Z/);
  });

  it("without --rules sends Shopify's stock, and leaves out products promoted on Meta that nothing protects", async () => {
    const { code, err, rows } = await metaFeed();
    expect(code).toBe(0);
    const counted = countedRows(rows);
    expect(counted.length).toBeGreaterThan(5);
    for (const { row, stock } of counted) expect(row.quantity_to_sell_on_facebook).toBe(String(stock));
    // social:instagram (and campaign tags naming no planned campaign) promote on Meta: without a buffer they stay out.
    expect(counted.some(({ tags }) => tags.includes("social:instagram"))).toBe(false);
    expect(err).toMatch(/offers: Shopify's stock as it is/);
    // With the buffer the same products are in.
    const buffered = countedRows((await metaFeed("--rules", keepThree)).rows);
    expect(buffered.some(({ tags }) => tags.includes("social:instagram"))).toBe(true);
    expect(buffered.length).toBeGreaterThan(counted.length);
  });

  it("validate lists the promotion errors the feed leaves out", async () => {
    const { code, out } = await runCli("validate", "--input", catalog, "--channel", "meta", "--json", "--quiet");
    expect(code).toBe(1);
    const blocked = out
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as { code: string; severity: string })
      .filter((diagnostic) => diagnostic.code === "rules.promoted_without_reservation");
    expect(blocked.length).toBeGreaterThan(0);
    expect(blocked.every((diagnostic) => diagnostic.severity === "error")).toBe(true);
  });

  it("takes the same campaigns file as `offers`", async () => {
    const { code } = await metaFeed("--rules", keepThree, "--campaigns", path.join(RULES_FIXTURES, "campaigns.json"), "--at", "2026-03-06T12:00:00Z");
    expect(code).toBe(0);
  });

  it("exits 2 naming the rule and the field of an invalid rules file", async () => {
    const bad = writeJson("bad-rules.json", { version: 1, rules: [{ id: "shop-default", scope: "shop" }, { id: "limited-edition", scope: { tag: "limited" }, cap: -1 }] });
    const { code, err } = await runCli("feed", "--input", catalog, "--channel", "meta", "--out", path.join(outDir, "never.csv"), "--rules", bad);
    expect(code).toBe(2);
    expect(err).toContain('rules[1] ("limited-edition").cap: expected a whole number of units (0 or more), got -1');
  });

  it("exits 2 on a bad --at, a missing rules file or an invalid campaigns file", async () => {
    const out = path.join(outDir, "never.csv");
    const badAt = await runCli("feed", "--input", catalog, "--channel", "meta", "--out", out, "--at", "2026-03-01 09:00");
    expect(badAt.code).toBe(2);
    expect(badAt.err).toMatch(/--at must be an ISO 8601 date-time with its offset/);
    const missing = await runCli("feed", "--input", catalog, "--channel", "meta", "--out", out, "--rules", path.join(outDir, "nope.json"));
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/--rules .*nope\.json: no such file/);
    const badCampaigns = writeJson("bad-campaigns.json", { version: 1, campaigns: [{ id: "spring-drop", name: "Spring", channels: ["tiktok"], startsAt: "2026-03-01", endsAt: "2026-03-02T00:00:00Z", holds: [] }] });
    const campaigns = await runCli("feed", "--input", catalog, "--channel", "meta", "--out", out, "--campaigns", badCampaigns);
    expect(campaigns.code).toBe(2);
    expect(campaigns.err).toMatch(/campaigns\[0\] \("spring-drop"\)\.startsAt: expected an ISO 8601 date-time with its offset/);
  });
});

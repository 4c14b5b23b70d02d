import { mkdtempSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parse as parseCsv } from "csv-parse/sync";
import { XMLParser } from "fast-xml-parser";
import { describe, expect, it } from "vitest";
import { runCli } from "../../setup/cli";
import { generatedLines, writeLines } from "../../factories/catalog-file";

const REAL_PRODUCTS = path.resolve(__dirname, "../../../../shared/data/real-products");
const PRODUCTS_JSON = path.resolve(__dirname, "../../fixtures/products-export.json");
const bulkFile = writeLines(generatedLines(30));
const outDir = mkdtempSync(path.join(tmpdir(), "shelfcast-cli-"));

const DIAGNOSTIC_KEYS = ["channel", "code", "field", "fix", "itemId", "message", "productId", "severity", "value", "variantId"];

describe("shelfcast validate", () => {
  it("prints one JSON object per problem with the stable keys, and exits 1 when there are errors", async () => {
    const { code, out, err } = await runCli("validate", "--input", bulkFile, "--channel", "google", "--json");
    const lines = out.trim().split("\n").map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(Object.keys(line).sort()).toEqual(DIAGNOSTIC_KEYS);
    expect(lines.some((line) => line.severity === "error")).toBe(true);
    expect(code).toBe(1);
    expect(err).toMatch(/google US \(bulk-jsonl\): [\d,]+ items in 30 products/);
  });

  it("exits 0 when nothing is an error (warnings allowed)", async () => {
    const clean = path.join(outDir, "clean.json");
    const fixture = JSON.parse(readFileSync(PRODUCTS_JSON, "utf8")) as { products: Record<string, unknown>[] };
    writeFileSync(clean, JSON.stringify({ products: fixture.products.slice(0, 0) }));
    const { code } = await runCli("validate", "--input", clean, "--channel", "meta", "--json");
    expect(code).toBe(0);
  });

  it("reads a products JSON export and both of Shopify's sample CSVs", async () => {
    for (const input of [PRODUCTS_JSON, path.join(REAL_PRODUCTS, "apparel.csv"), path.join(REAL_PRODUCTS, "jewelery.csv")]) {
      const { code, err } = await runCli("validate", "--input", input, "--channel", "meta", "--json");
      expect([0, 1]).toContain(code);
      expect(err).toMatch(/meta US \((products-json|shopify-csv)\): [\d,]+ items/);
    }
  });

  it("exits 2 with a message on bad usage and unreadable input", async () => {
    expect((await runCli("validate", "--input", bulkFile, "--channel", "myspace")).code).toBe(2);
    expect((await runCli("validate", "--channel", "meta")).err).toMatch(/--input is required/);
    const missing = await runCli("validate", "--input", path.join(outDir, "nope.jsonl"), "--channel", "meta");
    expect(missing).toMatchObject({ code: 2 });
    expect(missing.err).toMatch(/no such file/);
    const garbage = path.join(outDir, "garbage.txt");
    writeFileSync(garbage, "\u0000\u0001 this is not a catalog\n");
    const unreadable = await runCli("validate", "--input", garbage, "--channel", "meta");
    expect(unreadable.code).toBe(2);
    expect(unreadable.err).toContain(garbage);
    const badRules = path.join(outDir, "rules.json");
    writeFileSync(badRules, JSON.stringify({ version: 1, fields: { title: [{ source: { type: "template", template: "{{variant.colour}}" } }] } }));
    const rules = await runCli("validate", "--input", bulkFile, "--channel", "meta", "--mapping", badRules);
    expect(rules.code).toBe(2);
    expect(rules.err).toMatch(/fields\.title\[0\]/);
  });
});

describe("shelfcast feed", () => {
  it("writes a Meta CSV that a standard parser reads, with only items free of errors", async () => {
    const out = path.join(outDir, "meta.csv");
    const { code, err } = await runCli("feed", "--input", bulkFile, "--channel", "meta", "--out", out);
    expect(code).toBe(0);
    const rows = parseCsv(readFileSync(out, "utf8"), { columns: true, bom: true }) as Record<string, string>[];
    const ready = Number(/— ([\d,]+) ready/.exec(err)![1]!.replace(/,/g, ""));
    expect(rows).toHaveLength(ready);
    expect(rows[0]).toHaveProperty("id");
    expect(rows[0]).toHaveProperty("availability");
    const validate = await runCli("validate", "--input", bulkFile, "--channel", "meta", "--json");
    const errored = new Set(
      validate.out
        .trim()
        .split("\n")
        .map((line) => JSON.parse(line) as { severity: string; itemId: string })
        .filter((d) => d.severity === "error")
        .map((d) => d.itemId),
    );
    for (const row of rows) expect(errored.has(row.id!)).toBe(false);
    expect(existsSync(`${out}.partial`)).toBe(false);
  });

  it("writes Google RSS XML, Pinterest TSV and TikTok Shop JSON", async () => {
    const xmlOut = path.join(outDir, "google.xml");
    expect((await runCli("feed", "--input", bulkFile, "--channel", "google", "--out", xmlOut)).code).toBe(0);
    const xml = new XMLParser({ ignoreAttributes: false }).parse(readFileSync(xmlOut, "utf8")) as { rss: { channel: { item: unknown[] } } };
    expect(Array.isArray(xml.rss.channel.item)).toBe(true);

    const tsvOut = path.join(outDir, "pinterest.tsv");
    expect((await runCli("feed", "--input", bulkFile, "--channel", "pinterest", "--format", "tsv", "--out", tsvOut)).code).toBe(0);
    const tsv = parseCsv(readFileSync(tsvOut, "utf8"), { columns: true, delimiter: "\t" }) as Record<string, string>[];
    expect(tsv.length).toBeGreaterThan(0);

    const jsonOut = path.join(outDir, "tiktok.json");
    expect((await runCli("feed", "--input", bulkFile, "--channel", "tiktok", "--out", jsonOut)).code).toBe(0);
    expect(Array.isArray(JSON.parse(readFileSync(jsonOut, "utf8")))).toBe(true);
  });

  it("refuses a format the channel does not take", async () => {
    const { code, err } = await runCli("feed", "--input", bulkFile, "--channel", "tiktok", "--format", "csv", "--out", path.join(outDir, "x.csv"));
    expect(code).toBe(2);
    expect(err).toMatch(/--format for tiktok must be one of/);
  });
});

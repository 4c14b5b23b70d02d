import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../../setup/cli";

const FIXTURES = path.resolve(__dirname, "../../fixtures/rules");
const CATALOG = path.join(FIXTURES, "catalog.jsonl");
const RULES = path.join(FIXTURES, "rules.json");
const CAMPAIGNS = path.join(FIXTURES, "campaigns.json");
const PRODUCTS_JSON = path.resolve(__dirname, "../../fixtures/products-export.json");
const outDir = mkdtempSync(path.join(tmpdir(), "shelfcast-offers-"));

const OFFER_KEYS = ["availability", "availabilityDate", "channel", "market", "message", "productId", "quantity", "reasons", "variantId"];

interface OfferLine {
  variantId: string;
  productId: string;
  channel: string;
  market: string;
  quantity: number | null;
  availability: string;
  availabilityDate: string | null;
  message: string;
  reasons: string[];
}

function lines(out: string): OfferLine[] {
  return out
    .trim()
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => JSON.parse(line) as OfferLine);
}

function find(offers: OfferLine[], variant: number, channel: string): OfferLine {
  const found = offers.find((offer) => offer.variantId === `gid://shopify/ProductVariant/${variant}` && offer.channel === channel);
  if (!found) throw new Error(`no offer for ${variant} on ${channel}`);
  return found;
}

function offers(...extra: string[]) {
  return runCli("offers", "--input", CATALOG, "--rules", RULES, "--campaigns", CAMPAIGNS, "--json", ...extra);
}

describe("shelfcast offers", () => {
  it("prints one JSON line per variant and channel in play, with the stable keys", async () => {
    const { code, out, err } = await offers("--channel", "all", "--at", "2026-03-06T12:00:00Z");
    expect(code).toBe(0);
    const all = lines(out);
    expect(all).toHaveLength(6 * 4);
    for (const line of all) expect(Object.keys(line).sort()).toEqual(OFFER_KEYS);
    expect(new Set(all.map((line) => line.channel))).toEqual(new Set(["meta", "tiktok", "pinterest", "google"]));
    expect(err).toMatch(/offers US at 2026-03-06T12:00:00\.000Z \(bulk-jsonl\): 6 variants × 4 channels/);
  });

  it("never exposes more across channels than can be sold", async () => {
    const all = lines((await offers("--channel", "all", "--at", "2026-03-06T12:00:00Z")).out);
    const byVariant = new Map<string, number>();
    for (const line of all) byVariant.set(line.variantId, (byVariant.get(line.variantId) ?? 0) + (line.quantity ?? 0));
    // Linen Shirt S: 42 at two locations, 5 kept for the web store.
    expect(byVariant.get("gid://shopify/ProductVariant/100101")).toBe(37);
    // Aurora Lamp: pre-order cap 20 (metafield) with 5 pre-ordered, 2 kept for the web store.
    expect(byVariant.get("gid://shopify/ProductVariant/100201")).toBe(13);
    for (const line of all) expect(line.quantity === null || line.quantity >= 0).toBe(true);
  });

  it("holds campaign units for their channel, and reports over-reservations on stderr", async () => {
    const { out, err } = await offers("--channel", "all", "--at", "2026-03-06T12:00:00Z");
    const all = lines(out);
    expect(find(all, 100101, "tiktok")).toMatchObject({ quantity: 10, availability: "in_stock" });
    expect(find(all, 100101, "meta")).toMatchObject({ quantity: 27 });
    expect(find(all, 100101, "meta").reasons).toContain("27 of 30 held for campaign 'Creator post' on meta (over-reserved: only 27 were left)");
    expect(find(all, 100101, "google")).toMatchObject({ quantity: 0, availability: "out_of_stock", message: "Out of stock" });
    expect(err).toMatch(/warning: over-reserved: Campaigns 'Spring drop' \(10\) and 'Creator post' \(30\) hold 40 units of Linen Shirt \(S\)/);
    expect(err).toMatch(/2 over-reservations/);
  });

  it("gives one meaning to pre-orders, backorders and untracked stock across channels", async () => {
    const all = lines((await offers("--channel", "all", "--at", "2026-03-06T12:00:00Z")).out);
    for (const channel of ["meta", "tiktok", "pinterest", "google"]) {
      expect(find(all, 100201, channel)).toMatchObject({ availability: "preorder", availabilityDate: "2027-01-12T00:00:00Z", message: "Pre-order: ships by 12 Jan 2027" });
      expect(find(all, 100301, channel)).toMatchObject({ availability: "in_stock", quantity: null, message: "In stock" });
    }
    expect(find(all, 100401, "google")).toMatchObject({ availability: "backorder", availabilityDate: "2026-04-15T00:00:00Z", message: "Backorder: ships by 15 Apr 2026" });
    expect(find(all, 100401, "tiktok")).toMatchObject({ availability: "preorder", availabilityDate: "2026-04-15T00:00:00Z" });
    // Moon Globe ships in September 2027: more than a year out for Google only.
    expect(find(all, 100501, "google")).toMatchObject({ availability: "out_of_stock", quantity: 0, availabilityDate: null });
    expect(find(all, 100501, "pinterest")).toMatchObject({ availability: "preorder", availabilityDate: "2027-09-01T00:00:00Z" });
  });

  it("compares --at with campaign windows as instants, whatever the offsets", async () => {
    const before = lines((await offers("--channel", "tiktok", "--at", "2026-03-01T14:59:59+01:00")).out);
    const start = lines((await offers("--channel", "tiktok", "--at", "2026-03-01T15:00:00+01:00")).out);
    expect(before.every((line) => line.channel === "tiktok")).toBe(true);
    expect(find(before, 100101, "tiktok").quantity).toBe(15);
    expect(find(start, 100101, "tiktok").quantity).toBe(10 + 11);
  });

  it("reads a products JSON export, and works without campaigns", async () => {
    const { code, out } = await runCli("offers", "--input", PRODUCTS_JSON, "--rules", RULES, "--channel", "meta", "--json", "--at", "2026-03-06T12:00:00Z");
    expect(code).toBe(0);
    expect(lines(out)).toHaveLength(2);
  });

  it("prints a readable line per offer without --json", async () => {
    const { code, out } = await runCli("offers", "--input", CATALOG, "--rules", RULES, "--channel", "google", "--at", "2026-03-06T12:00:00Z");
    expect(code).toBe(0);
    expect(out).toContain('gid://shopify/ProductVariant/100501 google out_of_stock 0 "Out of stock"');
  });

  it("exits 2 naming the rule and field of an invalid rules file", async () => {
    const bad = path.join(outDir, "bad-rules.json");
    writeFileSync(bad, JSON.stringify({ version: 1, rules: [{ id: "shop-default", scope: "shop" }, { id: "limited-edition", scope: { tag: "limited" }, cap: -1 }] }));
    const { code, err } = await runCli("offers", "--input", CATALOG, "--rules", bad, "--channel", "meta");
    expect(code).toBe(2);
    expect(err).toContain('rules[1] ("limited-edition").cap: expected a whole number of units (0 or more), got -1');
  });

  it("exits 2 naming the campaign and field of an invalid campaigns file", async () => {
    const bad = path.join(outDir, "bad-campaigns.json");
    writeFileSync(bad, JSON.stringify({ version: 1, campaigns: [{ id: "spring-drop", name: "Spring", channels: ["tiktok"], startsAt: "2026-03-01", endsAt: "2026-03-02T00:00:00Z", holds: [] }] }));
    const { code, err } = await runCli("offers", "--input", CATALOG, "--rules", RULES, "--campaigns", bad, "--channel", "meta");
    expect(code).toBe(2);
    expect(err).toMatch(/campaigns\[0\] \("spring-drop"\)\.startsAt: expected an ISO 8601 date-time with its offset/);
  });

  it("exits 2 on bad usage", async () => {
    expect((await runCli("offers", "--input", CATALOG, "--channel", "meta")).err).toMatch(/--rules is required/);
    expect((await runCli("offers", "--input", CATALOG, "--rules", RULES, "--channel", "myspace")).code).toBe(2);
    const badAt = await runCli("offers", "--input", CATALOG, "--rules", RULES, "--channel", "meta", "--at", "2026-03-01 09:00");
    expect(badAt.code).toBe(2);
    expect(badAt.err).toMatch(/--at must be an ISO 8601 date-time with its offset/);
    const notJson = path.join(outDir, "not-json.json");
    writeFileSync(notJson, "{ version: 1");
    expect((await runCli("offers", "--input", CATALOG, "--rules", notJson, "--channel", "meta")).err).toMatch(/is not JSON/);
    expect((await runCli("offers", "--input", path.join(outDir, "nope.jsonl"), "--rules", RULES, "--channel", "meta")).err).toMatch(/no such file/);
  });
});

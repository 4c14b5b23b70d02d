import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../../setup/cli";
import { createDefaultTrackingPlan } from "../../../app/domain/tracking/default-plan";

const FIXTURES = path.resolve(__dirname, "../../fixtures/tracking");
const CLEAN_HAR = path.join(FIXTURES, "clean-session.har");
const MIXED_HAR = path.join(FIXTURES, "mixed-session.har");
const PRODUCTS_JSON = path.resolve(__dirname, "../../fixtures/products-export.json");
const SHIPPED_EXTENSION = path.resolve(__dirname, "../../../extensions/shelfcast-pixel");
const dir = mkdtempSync(path.join(tmpdir(), "shelfcast-pixel-check-"));

async function cli(...argv: string[]) {
  return runCli("pixel-check", ...argv);
}

function jsonLines(text: string): Record<string, unknown>[] {
  return text
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

function writeJson(name: string, value: unknown): string {
  const file = path.join(dir, name);
  writeFileSync(file, typeof value === "string" ? value : JSON.stringify(value));
  return file;
}

const FINDING_KEYS = ["check", "code", "evidence", "fix", "message", "platform", "severity"];

/** The clean session's two variants (45100000000123 and 45100000000456) as a products JSON export. */
function cleanCatalog(): string {
  const variant = (id: number, sku: string, position: number) => ({
    id,
    product_id: 8001,
    position,
    title: sku,
    price: "49.90",
    sku,
    inventory_item_id: id + 1,
    inventory_quantity: 5,
    inventory_policy: "deny",
    option1: sku,
    option2: null,
    option3: null,
  });
  return writeJson("clean-catalog.json", {
    products: [
      {
        id: 8001,
        title: "Linen Shirt",
        body_html: "<p>Linen.</p>",
        vendor: "Linen & Co",
        product_type: "Shirts",
        handle: "linen-shirt",
        status: "active",
        tags: "",
        variants: [variant(45100000000123, "SKU-LINEN-M", 1), variant(45100000000456, "SKU-LINEN-L", 2)],
        options: [{ id: 1, product_id: 8001, name: "Size", position: 1, values: ["SKU-LINEN-M", "SKU-LINEN-L"] }],
        images: [],
      },
    ],
  });
}

describe("shelfcast pixel-check", () => {
  it("exits 0 on the default plan and the shipped extension, with a summary on stderr", async () => {
    const { code, out, err } = await cli("--json");
    expect(code).toBe(0);
    for (const line of jsonLines(out)) expect(line.severity).not.toBe("error");
    expect(err).toMatch(/^pixel-check \(plan \(default\); extension extensions\/shelfcast-pixel; no traffic; no catalog\): 0 errors, \d+ warnings, \d+ info\n$/);
  });

  it("exits 0 on a clean recorded session whose ids are the catalog's", async () => {
    const { code, out, err } = await cli("--har", CLEAN_HAR, "--catalog", cleanCatalog(), "--extension", SHIPPED_EXTENSION, "--json");
    expect(jsonLines(out).filter((line) => line.severity === "error")).toEqual([]);
    expect(code).toBe(0);
    expect(err).toMatch(/HAR .*clean-session\.har: 23 platform events \(1 other requests skipped\); catalog .*: 1 products, 2 item ids\): 0 errors/);
  });

  it("prints one JSON finding per line with the stable keys, and exits 1 when there are errors", async () => {
    const { code, out } = await cli("--har", MIXED_HAR, "--catalog", PRODUCTS_JSON, "--json");
    expect(code).toBe(1);
    const lines = jsonLines(out);
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) {
      expect(Object.keys(line).sort()).toEqual(FINDING_KEYS);
      expect(line.code).toMatch(/^pixel\.[a-z0-9_]+$/);
      expect(line.check).toBeGreaterThanOrEqual(1);
      expect(line.check).toBeLessThanOrEqual(29);
      expect(Object.keys(line.evidence as object)).toEqual(expect.arrayContaining(["source", "location"]));
    }
    // The catalog's ids (808950810, 49148385) are not the session's.
    expect(lines.find((line) => line.code === "pixel.content_id_not_in_catalog")).toMatchObject({ check: 13, severity: "error", evidence: { source: "traffic" } });
    // Errors first.
    const severities = lines.map((line) => line.severity);
    expect(severities.indexOf("warning")).toBeGreaterThan(severities.lastIndexOf("error"));
  });

  it("checks a plan file against the extension, in plain text without --json", async () => {
    const plan = createDefaultTrackingPlan();
    const purchase = plan.events.find((event) => event.shopifyEvent === "checkout_completed")?.destinations.find((d) => d.platform === "tiktok");
    if (!purchase) throw new Error("the default plan sends TikTok a purchase");
    purchase.eventName = "CompletePayment";
    const { code, out, err } = await cli("--plan", writeJson("legacy.json", plan));
    // The legacy name is only info in the plan, but the shipped pixel still sends "Purchase": an error.
    expect(code).toBe(1);
    expect(out).toMatch(/^ERROR pixel\.mapping_constant_differs_from_plan \(check 8, tiktok\) extension .*src\/plan\.ts:\d+: .*\n {4}fix: /m);
    expect(out).toMatch(/^INFO pixel\.legacy_tiktok_event \(check 5, tiktok\) plan events\[\d+\]\.destinations\[\d+\]\.eventName: .*\n {4}fix: /m);
    expect(err).toMatch(/legacy\.json; .*: 1 errors, \d+ warnings, \d+ info/);
  });

  it("exits 2 with a message on bad usage and unreadable input", async () => {
    const unknownFlag = await cli("--colour");
    expect(unknownFlag.code).toBe(2);
    expect(unknownFlag.err).toMatch(/Unknown option '--colour'[\s\S]*Usage: shelfcast pixel-check/);

    const missingPlan = await cli("--plan", path.join(dir, "nope.json"));
    expect(missingPlan).toMatchObject({ code: 2, out: "" });
    expect(missingPlan.err).toMatch(/--plan .*nope\.json: no such file/);

    const notJson = await cli("--plan", writeJson("broken.json", "{plan"));
    expect(notJson.code).toBe(2);
    expect(notJson.err).toMatch(/--plan .*broken\.json is not JSON/);

    const invalidPlan = await cli("--plan", writeJson("invalid.json", { ...createDefaultTrackingPlan(), idScheme: "ean" }));
    expect(invalidPlan.code).toBe(2);
    expect(invalidPlan.err).toMatch(/is not a valid tracking plan:\n {2}idScheme: /);

    const notHar = await cli("--har", writeJson("not.har", { log: { entries: "none" } }));
    expect(notHar.code).toBe(2);
    expect(notHar.err).toMatch(/--har .*not\.har is not a HAR file Shelfcast can read: /);

    const noExtension = await cli("--extension", path.join(dir, "no-extension"));
    expect(noExtension.code).toBe(2);
    expect(noExtension.err).toMatch(/--extension .*no-extension: no such folder/);

    const garbageCatalog = await cli("--har", CLEAN_HAR, "--catalog", writeJson("garbage.txt", "\u0000\u0001 not a catalog\n"));
    expect(garbageCatalog.code).toBe(2);
    expect(garbageCatalog.err).toContain("garbage.txt");
  });

  it("reads an extension folder given with --extension", async () => {
    const copy = path.join(dir, "copied-pixel");
    cpSync(path.join(SHIPPED_EXTENSION, "shopify.extension.toml"), path.join(copy, "shopify.extension.toml"));
    cpSync(path.join(SHIPPED_EXTENSION, "src"), path.join(copy, "src"), { recursive: true });
    const { code, err } = await cli("--extension", copy);
    expect(code).toBe(0);
    expect(err).toContain(`extension ${copy}`);
    expect(readFileSync(path.join(copy, "shopify.extension.toml"), "utf8")).toContain("[customer_privacy]");
  });
});

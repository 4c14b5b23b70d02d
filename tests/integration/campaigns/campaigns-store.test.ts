import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { QUEUES } from "../../../app/.server/jobs/names";
import { replaceProducts } from "../../../app/.server/repositories/catalog";
import { upsertShopInstalled } from "../../../app/.server/repositories/shops";
import type { Runtime } from "../../../app/.server/runtime";
import { deleteCampaign, getStoredCampaign, listStoredCampaigns, loadCampaigns, saveCampaign, tagCampaignTargets } from "../../../app/.server/services/rules/campaigns-store";
import { loadOfferSetup } from "../../../app/.server/services/rules/offer-setup";
import type { CampaignDraft } from "../../../app/domain/campaigns/campaign-draft";
import { buildProduct } from "../../factories/product";
import { startTestApp, stopTestApp } from "../../setup/app";

const SHOP = "campaigns-store.myshopify.com";
const OTHER = "campaigns-store-other.myshopify.com";
const PRODUCTS = [1, 2, 3].map((n) => buildProduct({ id: `gid://shopify/Product/${n}`, title: `Linen shirt ${n}` }));

const DRAFT: CampaignDraft = {
  kind: "post",
  name: "Spring drop",
  channels: ["tiktok"],
  startsAt: "2026-03-01T09:00",
  endsAt: "2026-03-02T09:00",
  holds: [{ product: PRODUCTS[0]!.id, units: 0 }],
};

async function buildsQueued(runtime: Runtime, shop: string): Promise<number> {
  return (await runtime.boss.findJobs(QUEUES.buildFeeds, { data: { shop }, queued: true })).length;
}

describe("the campaigns store", () => {
  let runtime: Runtime;

  beforeAll(async () => {
    runtime = await startTestApp();
    await upsertShopInstalled(runtime.db.prisma, SHOP, "read_products", { name: "Campaigns", currencyCode: "USD", countryCode: "US", ianaTimezone: "America/New_York" });
    await upsertShopInstalled(runtime.db.prisma, OTHER, "read_products", { name: "Other", currencyCode: "USD", countryCode: "US" });
    await replaceProducts(runtime.db, SHOP, PRODUCTS, new Date());
  });
  afterAll(async () => stopTestApp(runtime));

  it("saves a post under a slug of its name, its window read in the shop's time zone, and asks for a feed build", async () => {
    const result = await saveCampaign(runtime, SHOP, DRAFT);
    expect(result).toEqual({ ok: true, id: "spring-drop", message: "Post “Spring drop” saved" });
    const stored = await getStoredCampaign(runtime, SHOP, "spring-drop");
    expect(stored).toMatchObject({
      kind: "post",
      name: "Spring drop",
      channels: ["tiktok"],
      markets: [],
      startsAt: "2026-03-01T14:00:00.000Z",
      endsAt: "2026-03-02T14:00:00.000Z",
      holds: [{ product: PRODUCTS[0]!.id, units: 0 }],
      problem: null,
    });
    expect(stored?.campaign?.window).toEqual({ start: Date.parse("2026-03-01T14:00:00Z"), end: Date.parse("2026-03-02T14:00:00Z") });
    expect(await buildsQueued(runtime, SHOP)).toBe(1);

    // The same name again gets the next free id; "new" (a URL of the pages) is never one.
    expect(await saveCampaign(runtime, SHOP, DRAFT)).toMatchObject({ ok: true, id: "spring-drop-2" });
    expect(await saveCampaign(runtime, SHOP, { ...DRAFT, name: "New" })).toMatchObject({ ok: true, id: "new-2" });
  });

  it("hands the stock rules every valid campaign", async () => {
    const loaded = await loadCampaigns(runtime, SHOP);
    expect(loaded.problems).toEqual([]);
    expect(loaded.campaigns.map((campaign) => campaign.id)).toEqual(["new-2", "spring-drop", "spring-drop-2"].sort());
    const setup = await loadOfferSetup(runtime, SHOP, new Date("2026-03-01T15:00:00Z"));
    expect(setup.campaigns.map((campaign) => campaign.id).sort()).toEqual(["new-2", "spring-drop", "spring-drop-2"]);
    // Another shop sees none of them.
    expect((await loadCampaigns(runtime, OTHER)).campaigns).toEqual([]);
  });

  it("stores nothing from an invalid draft and names each bad field", async () => {
    const before = await listStoredCampaigns(runtime, SHOP);
    const result = await saveCampaign(runtime, SHOP, { ...DRAFT, name: "Broken", channels: ["myspace"], endsAt: "2026-02-01T09:00", holds: [{ product: PRODUCTS[0]!.id, units: -2 }] });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((error) => error.field).sort()).toEqual(["channels[0]", "holds[0].units"]);
    expect(result.errors.find((error) => error.field === "holds[0].units")?.message).toBe("expected a whole number of units (0 or more), got -2");
    expect(await listStoredCampaigns(runtime, SHOP)).toHaveLength(before.length);
    const window = await saveCampaign(runtime, SHOP, { ...DRAFT, endsAt: "2026-02-01T09:00" });
    expect(window.ok ? [] : window.errors).toEqual([{ field: "endsAt", message: "must be after startsAt (2026-03-01T09:00:00-05:00)" }]);
  });

  it("refuses an edit made on a version someone else saved over", async () => {
    const opened = await getStoredCampaign(runtime, SHOP, "spring-drop");
    if (!opened) throw new Error("saved above");
    const first = await saveCampaign(runtime, SHOP, { ...DRAFT, name: "Spring drop, longer" }, { existing: { id: "spring-drop", updatedAt: opened.updatedAt }, now: new Date(Date.parse(opened.updatedAt) + 1000) });
    expect(first).toMatchObject({ ok: true, id: "spring-drop" });
    const second = await saveCampaign(runtime, SHOP, { ...DRAFT, name: "Spring drop, shorter" }, { existing: { id: "spring-drop", updatedAt: opened.updatedAt } });
    expect(second).toMatchObject({ ok: false, message: expect.stringContaining("changed since you opened it") as string });
    expect((await getStoredCampaign(runtime, SHOP, "spring-drop"))?.name).toBe("Spring drop, longer");
  });

  it("tags and untags products and variants", async () => {
    const opened = await getStoredCampaign(runtime, SHOP, "spring-drop-2");
    if (!opened) throw new Error("saved above");
    const variant = PRODUCTS[2]!.variants[0]!.id;
    const tagged = await tagCampaignTargets(runtime, SHOP, { id: "spring-drop-2", updatedAt: opened.updatedAt, add: [{ product: PRODUCTS[1]!.id, units: 4 }, { variant, units: 2 }] }, new Date(Date.parse(opened.updatedAt) + 1000));
    expect(tagged).toMatchObject({ ok: true });
    const after = await getStoredCampaign(runtime, SHOP, "spring-drop-2");
    expect(after?.holds).toEqual([
      { product: PRODUCTS[0]!.id, units: 0 },
      { product: PRODUCTS[1]!.id, units: 4 },
      { variant, units: 2 },
    ]);
    const untagged = await tagCampaignTargets(runtime, SHOP, { id: "spring-drop-2", updatedAt: after!.updatedAt, remove: [{ product: PRODUCTS[0]!.id, units: 0 }] }, new Date(Date.parse(after!.updatedAt) + 1000));
    expect(untagged).toMatchObject({ ok: true });
    expect((await getStoredCampaign(runtime, SHOP, "spring-drop-2"))?.holds.map((line) => ("product" in line ? line.product : "variant" in line ? line.variant : line.tag))).toEqual([PRODUCTS[1]!.id, variant]);
  });

  it("leaves out, and names, a stored campaign that no longer validates", async () => {
    await runtime.db.sql.query(
      `INSERT INTO "campaign" ("shop", "id", "kind", "name", "channels", "starts_at", "ends_at", "holds") VALUES ($1, 'hand-written', 'campaign', 'Hand written', ARRAY['friendster'], now(), now() + interval '1 day', '[{"product": "gid://shopify/Product/1", "units": 1}]')`,
      [SHOP],
    );
    const loaded = await loadCampaigns(runtime, SHOP);
    expect(loaded.campaigns.map((campaign) => campaign.id)).not.toContain("hand-written");
    expect(loaded.problems).toEqual([expect.stringMatching(/^campaign "hand-written" \(Hand written\) is ignored: channels\[0\]: unknown channel "friendster"/)]);
    expect((await getStoredCampaign(runtime, SHOP, "hand-written"))?.problem).toContain("unknown channel");
  });

  it("deletes a campaign, asking for a feed build, and says when there was none", async () => {
    expect(await deleteCampaign(runtime, SHOP, "new-2")).toBe(true);
    expect(await deleteCampaign(runtime, SHOP, "new-2")).toBe(false);
    expect(await getStoredCampaign(runtime, SHOP, "new-2")).toBeNull();
    expect(await deleteCampaign(runtime, OTHER, "spring-drop")).toBe(false);
    expect(await getStoredCampaign(runtime, SHOP, "spring-drop")).not.toBeNull();
  });
});

import { parse as parseCsv } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../../app/.server/db/connection";
import { applyMigrations, readMigrations } from "../../../app/.server/db/migrate";
import { QUEUES } from "../../../app/.server/jobs/names";
import { replaceProducts } from "../../../app/.server/repositories/catalog";
import { countOpenVerdicts, listOpenVerdicts, replaceVerdicts } from "../../../app/.server/repositories/channel-verdicts";
import {
  countIssues,
  countOpenIssues,
  exportIssues,
  groupIssues,
  issueCountsByDay,
  issueFacets,
  issuesForProduct,
  listIssues,
  listResolvedIssues,
  type IssueFilters,
  type IssueRow,
} from "../../../app/.server/repositories/feed-issues";
import { upsertShopInstalled } from "../../../app/.server/repositories/shops";
import type { Runtime } from "../../../app/.server/runtime";
import { buildShopFeeds } from "../../../app/.server/services/channel-feeds/build-feeds";
import { exportIssuesCsv, ISSUE_CSV_COLUMNS } from "../../../app/.server/services/feed-issues/export-issues-csv";
import { loadFeedIssuesPage, runIssueAction } from "../../../app/.server/services/feed-issues/feed-issues-page";
import type { Diagnostic } from "../../../app/domain/channels/types";
import { SEED_ADJECTIVES, SEED_CHANNELS, SEED_CODES, SEED_NOUNS, seedFeedIssues, seedIssueCatalog } from "../../factories/feed-issues";
import { buildProduct } from "../../factories/product";
import { startTestApp, stopTestApp } from "../../setup/app";

const SHOP = "issues-a.myshopify.com";
const OTHER_SHOP = "issues-b.myshopify.com";
const SEEDED_SHOP = "issues-seeded.myshopify.com";
const SEEDED = 3_000;
const NOW = new Date("2026-11-22T12:00:00.000Z");

/** Every page of a filtered list, in order. */
async function allPages(runtime: Runtime, shop: string, filters: IssueFilters): Promise<IssueRow[]> {
  const rows: IssueRow[] = [];
  for (let page = 1; ; page += 1) {
    const batch = await listIssues(runtime.db.sql, shop, filters, { page, pageSize: 50 });
    rows.push(...batch);
    if (batch.length < 50) return rows;
  }
}

async function events(runtime: Runtime, shop: string, productId: string) {
  const { rows } = await runtime.db.sql.query<{ kind: string; summary: string; channel: string; details: { code: string; source: string } }>(
    `SELECT "kind", "summary", "channel", "details" FROM "product_event" WHERE "shop" = $1 AND "product_id" = $2 ORDER BY "id"`,
    [shop, productId],
  );
  return rows;
}

/** Row n of seedFeedIssues, computed the way the factory's SQL computes it. */
function seededRow(n: number, now: Date) {
  const p = Math.floor(n / 15);
  const v = Math.floor(n / 3);
  const channel = SEED_CHANNELS[n % 5]!;
  const codeIndex = (n * 7) % 40;
  return {
    n,
    channel,
    market: n % 3 === 0 ? "GB" : "US",
    source: (channel === "meta" || channel === "tiktok") && n % 10 < 2 ? channel : "shelfcast",
    itemId: `item-${n}`,
    code: SEED_CODES[codeIndex]!,
    severity: codeIndex % 3 === 0 ? "error" : "warning",
    title: `${SEED_ADJECTIVES[p % 8]} ${SEED_NOUNS[Math.floor(p / 8) % 10]} ${p}`,
    sku: `SKU-${v}`,
    variantNumeric: String(2_000_000 + v),
    vendor: `Vendor ${p % 60}`,
    productType: `Type ${p % 25}`,
    collections: [`gid://shopify/Collection/${p % 40}`, `gid://shopify/Collection/${100 + (p % 7)}`],
    firstSeen: now.getTime() - (n % 90) * 86_400_000 - (n % 1440) * 60_000,
  };
}

describe("feed issues", () => {
  let runtime: Runtime;
  const model = Array.from({ length: SEEDED }, (_, n) => seededRow(n, NOW));
  /** The list order: newest first, then the later row (larger id) first. */
  const ordered = (rows: typeof model) => [...rows].sort((a, b) => b.firstSeen - a.firstSeen || b.n - a.n).map((row) => row.itemId);

  beforeAll(async () => {
    runtime = await startTestApp();
    for (const shop of [SHOP, OTHER_SHOP]) {
      await upsertShopInstalled(runtime.db.prisma, shop, "read_products", { name: "Issues", currencyCode: "USD", countryCode: "US", storefrontUrl: "https://issues.example.com" });
    }
    await seedIssueCatalog(runtime.db.sql, SEEDED_SHOP, { issues: SEEDED });
    await seedFeedIssues(runtime.db.sql, SEEDED_SHOP, { count: SEEDED, now: NOW });
    // Another shop with the very same rows: nothing of it may ever show for SEEDED_SHOP.
    await seedFeedIssues(runtime.db.sql, OTHER_SHOP, { count: 500, now: NOW });
  });
  afterAll(async () => stopTestApp(runtime));

  it("opens a too-long title after a feed build, and moves it to the resolved history once the next build no longer finds it", async () => {
    const longTitle = `Linen shirt ${"with hand-stitched mother-of-pearl buttons ".repeat(7)}`.trim();
    const product = buildProduct({ id: "gid://shopify/Product/501", title: longTitle, vendor: "Atelier", productType: "Shirts", collectionIds: ["gid://shopify/Collection/9"] });
    const fine = buildProduct({ id: "gid://shopify/Product/502", title: "Cotton scarf" });
    await replaceProducts(runtime.db, SHOP, [product, fine], NOW);

    const firstBuild = new Date("2026-11-22T08:00:00.000Z");
    await buildShopFeeds(runtime, { shop: SHOP }, () => firstBuild);
    const isTitleLength = (issue: IssueRow) => issue.field === "title" && /too_long|length/.test(issue.code);
    const open = (await issuesForProduct(runtime.db.sql, SHOP, product.id)).filter(isTitleLength);
    const meta = open.find((issue) => issue.channel === "meta");
    expect(meta).toMatchObject({
      source: "shelfcast",
      severity: "error",
      productTitle: longTitle,
      sku: product.variants[0]!.sku,
      vendor: "Atelier",
      productType: "Shirts",
      collectionIds: ["gid://shopify/Collection/9"],
      resolvedAt: null,
    });
    expect(meta!.firstSeenAt).toEqual(firstBuild);
    // The list finds it by the product's SKU, with its denormalised title.
    const bySku = await listIssues(runtime.db.sql, SHOP, { state: "open", query: product.variants[0]!.sku! }, { page: 1, pageSize: 50 });
    expect(bySku.map((row) => row.id)).toContain(meta!.id);
    expect((await events(runtime, SHOP, product.id)).filter((e) => e.kind === "issue.opened" && e.channel === "meta" && e.details.code === meta!.code)).toEqual([
      expect.objectContaining({ summary: `Meta: ${meta!.code.replace(/_/g, " ")} (title, ${longTitle.length} characters)` }),
    ]);

    // A build that finds the same problems again changes nothing and says nothing.
    const secondBuild = new Date("2026-11-22T09:00:00.000Z");
    await buildShopFeeds(runtime, { shop: SHOP }, () => secondBuild);
    const again = (await issuesForProduct(runtime.db.sql, SHOP, product.id)).find((issue) => issue.id === meta!.id)!;
    expect(again.firstSeenAt).toEqual(firstBuild);
    expect(again.lastSeenAt).toEqual(secondBuild);
    expect((await events(runtime, SHOP, product.id)).filter((e) => e.kind === "issue.opened" && e.details.code === meta!.code && e.channel === "meta")).toHaveLength(1);

    // The merchant shortens the title in Shopify; the next build no longer finds the problem.
    await replaceProducts(runtime.db, SHOP, [{ ...product, title: "Linen shirt" }], NOW);
    const fixedBuild = new Date("2026-11-22T10:00:00.000Z");
    await buildShopFeeds(runtime, { shop: SHOP }, () => fixedBuild);
    expect((await issuesForProduct(runtime.db.sql, SHOP, product.id)).filter(isTitleLength)).toEqual([]);
    expect((await listIssues(runtime.db.sql, SHOP, { state: "open" }, { page: 1, pageSize: 50 })).some((row) => row.id === meta!.id)).toBe(false);
    const history = await listResolvedIssues(runtime.db.sql, SHOP, {}, { page: 1, pageSize: 50 });
    expect(history.find((row) => row.id === meta!.id)).toMatchObject({ resolvedAt: fixedBuild, code: meta!.code, channel: "meta" });
    expect(await events(runtime, SHOP, product.id)).toContainEqual(
      expect.objectContaining({ kind: "issue.resolved", channel: "meta", summary: `Resolved on Meta: ${meta!.code.replace(/_/g, " ")}` }),
    );

    // The problem coming back opens it again, as new.
    await replaceProducts(runtime.db, SHOP, [product], NOW);
    const regressedBuild = new Date("2026-11-22T11:00:00.000Z");
    await buildShopFeeds(runtime, { shop: SHOP }, () => regressedBuild);
    const reopened = (await issuesForProduct(runtime.db.sql, SHOP, product.id)).find((issue) => issue.id === meta!.id)!;
    expect(reopened).toMatchObject({ resolvedAt: null, firstSeenAt: regressedBuild });
  }, 120_000);

  it("keeps channel verdicts as issues whose source is the channel, resolving what the channel stops reporting", async () => {
    const ref = { shop: SHOP, channel: "meta", market: "US" };
    const diagnostic = (itemId: string, code: string, message: string): Diagnostic => ({
      code,
      severity: "error",
      channel: "meta",
      market: "US",
      itemId,
      productId: "gid://shopify/Product/501",
      variantId: "gid://shopify/ProductVariant/50101",
      field: "image_link",
      value: null,
      message,
      fix: "Replace the image",
      fixTarget: { kind: "shopify-product", productId: "gid://shopify/Product/501" },
      source: "meta",
    });
    const t1 = new Date("2026-11-22T12:00:00.000Z");
    await replaceVerdicts(
      runtime.db.sql,
      ref,
      [
        { key: "k1", diagnostics: [diagnostic("k1", "image_watermark", "Watermark"), diagnostic("k1", "image_watermark", "Logo overlay"), diagnostic("k1", "policy_violation", "Policy")] },
        { key: "k2", diagnostics: [diagnostic("k2", "image_watermark", "Watermark")] },
      ],
      t1,
    );
    const open = await listOpenVerdicts(runtime.db.sql, SHOP, { channel: "meta", limit: 10 });
    expect(open).toHaveLength(3);
    expect(open.every((verdict) => verdict.source === "meta" && verdict.resolvedAt === null)).toBe(true);
    // The same code reported twice for one item is one issue listing both reports.
    expect(open.find((verdict) => verdict.itemKey === "k1" && verdict.code === "image_watermark")!.message).toBe("Watermark; Logo overlay");
    expect(await countOpenVerdicts(runtime.db.sql, SHOP)).toEqual([{ channel: "meta", errors: 3, warnings: 0 }]);
    // They are feed issues: the list filters them by source, with the product's snapshot data.
    const fromMeta = await listIssues(runtime.db.sql, SHOP, { state: "open", source: ["meta"] }, { page: 1, pageSize: 50 });
    expect(fromMeta.map((row) => `${row.itemKey}/${row.code}`).sort()).toEqual(["k1/image_watermark", "k1/policy_violation", "k2/image_watermark"]);
    expect(fromMeta.every((row) => row.productTitle.startsWith("Linen shirt"))).toBe(true);

    // The channel answers again about k1 only: the policy problem is gone; k2 was not asked about.
    const t2 = new Date(t1.getTime() + 60_000);
    await replaceVerdicts(runtime.db.sql, ref, [{ key: "k1", diagnostics: [diagnostic("k1", "image_watermark", "Watermark")] }], t2);
    const after = await listOpenVerdicts(runtime.db.sql, SHOP, { channel: "meta", limit: 10 });
    expect(after.map((verdict) => `${verdict.itemKey}/${verdict.code}`).sort()).toEqual(["k1/image_watermark", "k2/image_watermark"]);
    const resolved = await listResolvedIssues(runtime.db.sql, SHOP, { source: ["meta"] }, { page: 1, pageSize: 10 });
    expect(resolved).toEqual([expect.objectContaining({ itemKey: "k1", code: "policy_violation", resolvedAt: t2 })]);
    const kinds = (await events(runtime, SHOP, "gid://shopify/Product/501")).filter((e) => e.details.source === "meta").map((e) => `${e.kind}:${e.details.code}`);
    expect(kinds).toEqual(["issue.opened:image_watermark", "issue.opened:policy_violation", "issue.opened:image_watermark", "issue.resolved:policy_violation"]);

    // The same clock again (a read-back in the same millisecond) still resolves and reopens correctly.
    await replaceVerdicts(runtime.db.sql, ref, [{ key: "k2", diagnostics: [] }], t2);
    await replaceVerdicts(runtime.db.sql, ref, [{ key: "k1", diagnostics: [diagnostic("k1", "policy_violation", "Policy")] }], t2);
    const last = await listOpenVerdicts(runtime.db.sql, SHOP, { channel: "meta", limit: 10 });
    expect(last.map((verdict) => `${verdict.itemKey}/${verdict.code}`)).toEqual(["k1/policy_violation"]);
  });

  it("filters by every facet and searches titles, SKUs, variant ids and item ids, matching a model of the seeded rows", async () => {
    const state = { state: "open" as const };
    const cases: [IssueFilters, (row: (typeof model)[number]) => boolean][] = [
      [{ ...state, channel: ["meta"] }, (row) => row.channel === "meta"],
      [{ ...state, channel: ["pinterest", "google"], severity: ["error"] }, (row) => (row.channel === "pinterest" || row.channel === "google") && row.severity === "error"],
      [{ ...state, code: ["title_too_long"] }, (row) => row.code === "title_too_long"],
      [{ ...state, source: ["tiktok"] }, (row) => row.source === "tiktok"],
      [{ ...state, vendor: ["Vendor 7"] }, (row) => row.vendor === "Vendor 7"],
      [{ ...state, productType: ["Type 3", "Type 4"] }, (row) => row.productType === "Type 3" || row.productType === "Type 4"],
      [{ ...state, collection: ["gid://shopify/Collection/5"] }, (row) => row.collections.includes("gid://shopify/Collection/5")],
      [{ ...state, firstSeenFrom: new Date(NOW.getTime() - 86_400_000) }, (row) => row.firstSeen >= NOW.getTime() - 86_400_000],
      [{ ...state, firstSeenBefore: new Date(NOW.getTime() - 30 * 86_400_000) }, (row) => row.firstSeen < NOW.getTime() - 30 * 86_400_000],
      [{ ...state, query: "WOOL Scarf" }, (row) => row.title.toLowerCase().includes("wool scarf")],
      [{ ...state, query: "sku-42" }, (row) => row.sku.toLowerCase().includes("sku-42")],
      [{ ...state, query: "2000123" }, (row) => row.variantNumeric.includes("2000123") || row.itemId.includes("2000123")],
      [{ ...state, query: "gid://shopify/ProductVariant/2000777" }, (row) => row.variantNumeric.includes("2000777")],
      [{ ...state, query: "item-123" }, (row) => row.itemId.includes("item-123")],
      [{ ...state, query: "50%" }, () => false],
      [{ ...state, channel: ["tiktok"], source: ["shelfcast"], vendor: ["Vendor 3"], query: "linen" }, (row) => row.channel === "tiktok" && row.source === "shelfcast" && row.vendor === "Vendor 3" && row.title.includes("Linen")],
    ];
    for (const [filters, predicate] of cases) {
      const expected = ordered(model.filter(predicate));
      const rows = await allPages(runtime, SEEDED_SHOP, filters);
      expect(rows.map((row) => row.itemId), JSON.stringify(filters)).toEqual(expected);
      expect(await countIssues(runtime.db.sql, SEEDED_SHOP, filters)).toEqual({ count: expected.length, capped: false });
      // The same page with the count as a hint (the ordered walk) returns the same rows.
      const hinted = await listIssues(runtime.db.sql, SEEDED_SHOP, filters, { page: 1, pageSize: 50 }, { matches: 5_000 });
      expect(hinted.map((row) => row.itemId)).toEqual(expected.slice(0, 50));
    }
    expect(await countIssues(runtime.db.sql, SEEDED_SHOP, state, { cap: 100 })).toEqual({ count: 100, capped: true });
    // Pages never overlap or skip: the whole list, page by page, is the model's order.
    expect((await allPages(runtime, SEEDED_SHOP, state)).map((row) => row.itemId)).toEqual(ordered(model));
  });

  it("groups issues by channel, source and code with their item counts, errors first", async () => {
    const groups = await groupIssues(runtime.db.sql, SEEDED_SHOP, { state: "open", channel: ["meta"] });
    const expected = new Map<string, number>();
    for (const row of model.filter((r) => r.channel === "meta")) expected.set(`${row.channel}|${row.source}|${row.code}`, (expected.get(`${row.channel}|${row.source}|${row.code}`) ?? 0) + 1);
    expect(new Map(groups.map((group) => [`${group.channel}|${group.source}|${group.code}`, group.items]))).toEqual(expected);
    const firstWarning = groups.findIndex((group) => group.severity === "warning");
    expect(groups.slice(firstWarning).every((group) => group.severity === "warning")).toBe(true);
    expect(groups[0]!.example.message).toMatch(/characters/);

    const page = await loadFeedIssuesPage(runtime, SEEDED_SHOP, new URLSearchParams("tab=grouped&channel=meta&source=meta"), NOW);
    expect(page.groups.every((group) => group.channel === "meta" && group.source === "meta" && group.canRepublish)).toBe(true);
    expect(page.total).toBe(model.filter((row) => row.channel === "meta" && row.source === "meta").length);
    expect(page.groups[0]!.mappingHref).toBe("/app/channels/meta/mapping");
  });

  it("reads a hand-typed URL without failing: unknown values are dropped, a page past the end shows the last", async () => {
    const page = await loadFeedIssuesPage(runtime, SEEDED_SHOP, new URLSearchParams("tab=bogus&channel=nope&channel=google&severity=fatal&firstSeen=never&page=999"), NOW);
    expect(page.tab).toBe("open");
    expect(page.filters).toMatchObject({ channel: ["google"], severity: [], firstSeen: null });
    const google = model.filter((row) => row.channel === "google").length;
    expect(page.total).toBe(google);
    expect(page.page).toBe(Math.ceil(google / 50));
    expect(page.rows.length).toBe(google - (page.page - 1) * 50);
    expect(page.facets.codes).toEqual([...SEED_CODES].sort());
    expect(page.facets.vendors).toHaveLength(60);
    expect(page.facets.collections).toContain("gid://shopify/Collection/105");
    expect(page.rows[0]!.timelineHref).toMatch(/^\/app\/products\/\d+\?tab=timeline$/);
  });

  it("exports the filtered issues as CSV with formulas neutralised", async () => {
    const product = buildProduct({ id: "gid://shopify/Product/777", title: '=HYPERLINK("https://evil.example","Click")', vendor: "@vendor" });
    await replaceProducts(runtime.db, OTHER_SHOP, [product], NOW);
    await replaceVerdicts(
      runtime.db.sql,
      { shop: OTHER_SHOP, channel: "tiktok", market: "US" },
      [
        {
          key: "p777",
          diagnostics: [
            {
              code: "audit_failed",
              severity: "error",
              channel: "tiktok",
              market: "US",
              itemId: "SKU-777",
              productId: product.id,
              variantId: product.variants[0]!.id,
              field: "title",
              value: "-2+3",
              message: 'Rejected: "bad, title"\nsee policy',
              fix: "+ Rewrite it",
              fixTarget: { kind: "shopify-product", productId: product.id },
              source: "tiktok",
            },
          ],
        },
      ],
      NOW,
    );
    const response = exportIssuesCsv(runtime, OTHER_SHOP, new URLSearchParams("source=tiktok"), NOW);
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("content-disposition")).toMatch(/^attachment; filename="shelfcast-feed-issues-issues-b-2026-11-22\.csv"$/);
    const text = await response.text();
    expect(text.replace(/^\uFEFF/, "").split("\r\n")[0]).toBe(ISSUE_CSV_COLUMNS.join(","));
    const rows = parseCsv(text, { columns: true, bom: true }) as Record<string, string>[];
    const expected = (await countIssues(runtime.db.sql, OTHER_SHOP, { state: "open", source: ["tiktok"] })).count;
    expect(rows).toHaveLength(expected);
    const row = rows.find((r) => r.item_id === "SKU-777")!;
    expect(row.product_title).toBe(`'=HYPERLINK("https://evil.example","Click")`);
    expect(row.vendor).toBe("'@vendor");
    expect(row.fix).toBe("'+ Rewrite it");
    expect(row.value).toBe("'-2+3");
    expect(row.message).toBe('Rejected: "bad, title"\nsee policy');
    expect(row).toMatchObject({ severity: "error", source: "TikTok", channel: "TikTok Shop", code: "audit_failed", problem: "audit failed" });
  });

  it("streams an export larger than one batch in list order", async () => {
    const rows: IssueRow[] = [];
    for await (const row of exportIssues(runtime.db.sql, SEEDED_SHOP, { state: "open" }, { batchSize: 700 })) rows.push(row);
    expect(rows.map((row) => row.itemId)).toEqual(ordered(model));
  });

  it("never shows one shop's issues to another", async () => {
    const all = { state: "open" as const };
    const other = await allPages(runtime, OTHER_SHOP, all);
    expect(other.length).toBeGreaterThan(0);
    expect(other.every((row) => !row.productTitle.startsWith("Linen shirt with"))).toBe(true);
    expect((await allPages(runtime, SHOP, { ...all, query: "item-1" })).every((row) => !row.itemId.startsWith("item-1"))).toBe(true);
    expect(await countIssues(runtime.db.sql, SHOP, { ...all, vendor: ["Vendor 7"] })).toEqual({ count: 0, capped: false });
    expect((await groupIssues(runtime.db.sql, SHOP, all)).every((group) => !group.code.startsWith("seed_problem"))).toBe(true);
    expect((await issueFacets(runtime.db.sql, SHOP)).vendors).not.toContain("Vendor 7");
    expect(await issuesForProduct(runtime.db.sql, SHOP, "gid://shopify/Product/1000001", { includeResolved: true })).toEqual([]);
    const perChannel = await countOpenIssues(runtime.db.sql, SHOP);
    expect(perChannel.reduce((sum, row) => sum + row.errors + row.warnings, 0)).toBe((await countIssues(runtime.db.sql, SHOP, all, { cap: 1_000_000 })).count);
    const exported: IssueRow[] = [];
    for await (const row of exportIssues(runtime.db.sql, SHOP, { state: "open", query: "seed" })) exported.push(row);
    expect(exported).toEqual([]);
    const days = await issueCountsByDay(runtime.db.sql, SEEDED_SHOP, { days: 7, now: NOW });
    // The seeded shop has open issues but no events: its chart is flat at the open count.
    expect(days.filter((day) => day.channel === "meta").map((day) => day.open)).toEqual(Array(7).fill(model.filter((row) => row.channel === "meta").length));
  });

  it("counts issues opened and resolved per day and channel, with the open count at each day's end", async () => {
    const days = await issueCountsByDay(runtime.db.sql, SHOP, { days: 3, now: new Date("2026-11-22T23:00:00.000Z") });
    expect(days.map((day) => day.day)).toEqual(expect.arrayContaining(["2026-11-20", "2026-11-21", "2026-11-22"]));
    const today = days.filter((day) => day.day === "2026-11-22");
    const openNow = await countOpenIssues(runtime.db.sql, SHOP);
    for (const row of today) {
      expect(row.open).toBe(openNow.filter((c) => c.channel === row.channel).reduce((sum, c) => sum + c.errors + c.warnings, 0));
    }
    const meta = days.filter((day) => day.channel === "meta");
    const yesterday = meta.find((day) => day.day === "2026-11-21")!;
    const metaToday = meta.find((day) => day.day === "2026-11-22")!;
    expect(metaToday.opened).toBeGreaterThan(0);
    expect(metaToday.resolved).toBeGreaterThan(0);
    expect(yesterday.open).toBe(metaToday.open - metaToday.opened + metaToday.resolved);
    expect(yesterday).toMatchObject({ opened: 0, resolved: 0, open: 0 });
  });

  it("re-validates by rebuilding the feeds now, and re-publishes a group's records on Meta", async () => {
    const revalidated = await runIssueAction(runtime, SHOP, { intent: "revalidate", groups: [], search: "" }, NOW);
    expect(revalidated.ok).toBe(true);
    expect(await runtime.boss.findJobs(QUEUES.buildFeeds, { data: { shop: SHOP }, queued: true })).not.toHaveLength(0);

    await runtime.db.sql.query(
      `INSERT INTO "channel_item" ("shop", "channel", "market", "item_key", "product_id", "item_ids", "desired_hash", "sent_hash", "state")
       VALUES ($1, 'meta', 'US', 'k1', 'gid://shopify/Product/501', '["k1"]', 'h1', 'h1', 'live'),
              ($1, 'meta', 'US', 'k2', 'gid://shopify/Product/501', '["k2"]', 'h2', 'h2', 'rejected'),
              ($1, 'meta', 'US', 'k3', 'gid://shopify/Product/501', '["k3"]', NULL, 'h3', 'pending')`,
      [SHOP],
    );
    const republished = await runIssueAction(runtime, SHOP, { intent: "republish", groups: [{ channel: "meta", source: "meta", code: "policy_violation" }], search: "" }, NOW);
    expect(republished).toEqual({ ok: true, message: "1 record will be sent again" });
    const { rows } = await runtime.db.sql.query<{ item_key: string; sent_hash: string | null; state: string }>(
      `SELECT "item_key", "sent_hash", "state" FROM "channel_item" WHERE "shop" = $1 ORDER BY "item_key"`,
      [SHOP],
    );
    // k1 has the open policy problem; k2 does not; k3 waits to be deleted and keeps its sent hash.
    expect(rows).toEqual([
      { item_key: "k1", sent_hash: null, state: "pending" },
      { item_key: "k2", sent_hash: "h2", state: "rejected" },
      { item_key: "k3", sent_hash: "h3", state: "pending" },
    ]);
    expect(await runtime.boss.findJobs(QUEUES.publishCatalog, { data: { shop: SHOP, channel: "meta", market: "US" }, queued: true })).not.toHaveLength(0);
    const refused = await runIssueAction(runtime, SHOP, { intent: "republish", groups: [{ channel: "google", source: "shelfcast", code: "gtin_invalid" }], search: "" }, NOW);
    expect(refused.ok).toBe(false);
  });
});

describe("migration 0009", () => {
  it("moves channel verdicts into feed issues with the channel as source, then drops channel_verdict", async () => {
    const db = openDatabase({ kind: "pglite", dataDir: "memory://" });
    try {
      const migrations = readMigrations();
      await applyMigrations(db.sql, migrations.filter((m) => m.name < "0009"));
      await db.sql.query(`INSERT INTO "product" ("shop", "id", "handle", "title", "vendor", "status", "data") VALUES ('m.myshopify.com', 'gid://shopify/Product/1', 'p', 'Old verdict product', 'V', 'ACTIVE', '{}')`);
      await db.sql.query(
        `INSERT INTO "channel_verdict" ("shop", "channel", "market", "item_key", "code", "item_id", "product_id", "severity", "field", "message", "fix", "fix_target", "first_seen_at", "last_seen_at", "resolved_at")
         VALUES ('m.myshopify.com', 'tiktok', 'US', 'p1', 'audit', 'sku1', 'gid://shopify/Product/1', 'error', 'title', 'm', 'f', '{}', now(), now(), NULL),
                ('m.myshopify.com', 'meta', 'US', 'i2', 'watermark', 'i2', 'gid://shopify/Product/1', 'warning', 'image', 'm', 'f', '{}', now(), now(), now())`,
      );
      await applyMigrations(db.sql, migrations);
      const { rows } = await db.sql.query<{ channel: string; source: string; item_key: string; product_title: string; vendor: string; resolved: boolean }>(
        `SELECT "channel", "source", "item_key", "product_title", "vendor", "resolved_at" IS NOT NULL AS "resolved" FROM "feed_issue" ORDER BY "channel"`,
      );
      expect(rows).toEqual([
        { channel: "meta", source: "meta", item_key: "i2", product_title: "Old verdict product", vendor: "V", resolved: true },
        { channel: "tiktok", source: "tiktok", item_key: "p1", product_title: "Old verdict product", vendor: "V", resolved: false },
      ]);
      const { rows: tables } = await db.sql.query(`SELECT 1 FROM information_schema.tables WHERE table_name = 'channel_verdict'`);
      expect(tables).toEqual([]);
    } finally {
      await db.close();
    }
  });
});

// End-to-end check of the demo, as a new user would see it: `npm run demo` on a fresh data
// folder, then every nav page in Debian's Chromium (driven by playwright-core), with a screenshot
// of each in docs/screenshots. Prints "N passed, N failed" and exits non-zero on any failure.
import { spawn, spawnSync } from "node:child_process";
import http from "node:http";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const port = Number(process.env.E2E_PORT || 3187);
const base = `http://127.0.0.1:${port}`;
const screenshots = path.join(root, "docs/screenshots");
const dataDir = mkdtempSync(path.join(tmpdir(), "shelfcast-e2e-"));
const CHROMIUM = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
const PAGES = [
  ["dashboard", "/app", "Dashboard"],
  ["products", "/app/products", "Products"],
  ["channels", "/app/channels", "Channels"],
  ["rules", "/app/rules", "Rules"],
  ["campaigns", "/app/campaigns", "Campaigns"],
  ["feed-issues", "/app/feed-issues", "Feed issues"],
  ["pixels", "/app/pixels", "Pixels & consent"],
  ["settings", "/app/settings", "Settings"],
];

const results = [];
function record(name, ok, detail = "") {
  results.push({ name, ok });
  console.log(`${ok ? "✓" : "✗"} ${name}${detail ? ` — ${detail}` : ""}`);
}

async function waitFor(check, timeoutMs, label) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (await check()) return;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${label}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Reads a number shown on the page ("1,234" → 1234). */
async function shownNumber(locator) {
  return Number(((await locator.textContent()) ?? "").replace(/[^\d]/g, ""));
}

async function checkChannels(page) {
  await page.goto(`${base}/app/channels`);
  const metaTotal = page.locator('[data-testid="channel-card-meta"] [data-testid$="-total"]').first();
  // The page polls itself while a build is queued or running; reload now and then in case no build was queued yet.
  let lastReload = Date.now();
  await waitFor(
    async () => {
      if ((await metaTotal.count()) > 0 && (await page.getByText("Building feeds", { exact: true }).count()) === 0) return true;
      if (Date.now() - lastReload > 15_000) {
        lastReload = Date.now();
        await page.reload();
      }
      return false;
    },
    240_000,
    "the first feed build",
  );
  await page.screenshot({ path: path.join(screenshots, "channels.png"), fullPage: true });

  const prefix = ((await metaTotal.getAttribute("data-testid")) ?? "").replace(/-total$/, "");
  const shown = {
    itemsTotal: await shownNumber(page.getByTestId(`${prefix}-total`)),
    itemsReady: await shownNumber(page.getByTestId(`${prefix}-ready`)),
    itemsWithErrors: await shownNumber(page.getByTestId(`${prefix}-errors`)),
    itemsExcluded: await shownNumber(page.getByTestId(`${prefix}-excluded`)),
  };
  const loaded = await page.evaluate(() => {
    const data = globalThis.__remixRouter?.state.loaderData["routes/app.channels"];
    const feed = data?.channels.find((channel) => channel.channel === "meta")?.feeds[0];
    return feed?.current ? { market: feed.market, itemsTotal: feed.current.itemsTotal, itemsReady: feed.current.itemsReady, itemsWithErrors: feed.current.itemsWithErrors, itemsExcluded: feed.current.itemsExcluded } : null;
  });
  record(
    "the Channels page shows Meta's counts from its loader data",
    loaded !== null && shown.itemsTotal > 1000 && ["itemsTotal", "itemsReady", "itemsWithErrors", "itemsExcluded"].every((key) => shown[key] === loaded[key]),
    `shown ${JSON.stringify(shown)}, loader ${JSON.stringify(loaded)}`,
  );

  // The acceptance check: the page counts what `shelfcast feed` counts for the same catalog and rules.
  const rules = path.join(root, "app/demo/channel-rules.json");
  const cli = spawnSync(
    process.execPath,
    [path.join(root, "bin/shelfcast.mjs"), "feed", "--input", path.join(dataDir, "demo/catalog.jsonl"), "--channel", "meta", "--market", loaded?.market ?? "US", "--quiet",
      ...(existsSync(rules) ? ["--mapping", rules] : []), "--out", path.join(dataDir, "cli-meta.csv")],
    { cwd: root, encoding: "utf8", timeout: 120_000 },
  );
  const tally = /: ([\d,]+) items in [\d,]+ products — ([\d,]+) ready \([\d,]+ with warnings\), ([\d,]+) with errors, ([\d,]+) excluded/.exec(cli.stderr ?? "");
  const cliCounts = tally ? tally.slice(1).map((n) => Number(n.replace(/,/g, ""))) : null;
  record(
    "the Channels page shows the same Meta counts as `shelfcast feed` on the demo catalog",
    cliCounts !== null && cliCounts.join() === [shown.itemsTotal, shown.itemsReady, shown.itemsWithErrors, shown.itemsExcluded].join(),
    `page ${JSON.stringify(shown)}, CLI ${cliCounts ? cliCounts.join("/") : `exit ${cli.status}: ${(cli.stderr ?? "").trim().split("\n").slice(-1)[0]}`}`,
  );

  // The feed URL answers with the feed, then 304 once the channel has it.
  const feedUrl = await page.locator('[data-testid="channel-card-meta"] input[readonly]').first().inputValue();
  const first = await page.request.get(feedUrl);
  const etag = first.headers()["etag"];
  const second = etag ? await page.request.get(feedUrl, { headers: { "If-None-Match": etag } }) : null;
  record(
    "a Meta feed URL answers 200 as CSV, then 304 for its ETag",
    first.status() === 200 && /^text\/csv/.test(first.headers()["content-type"] ?? "") && second?.status() === 304,
    `${feedUrl.replace(/\/feeds\/[^.]+/, "/feeds/<token>")}: ${first.status()} ${first.headers()["content-type"]}, then ${second?.status()}`,
  );

  // Copy puts the URL on the clipboard and says so.
  await page.context().grantPermissions(["clipboard-read", "clipboard-write"], { origin: base });
  await page.locator('[data-testid="channel-card-meta"]').getByRole("button", { name: /^Copy / }).first().click();
  await page.getByText("Feed URL copied").first().waitFor({ timeout: 5_000 }).catch(() => undefined);
  const clipboard = await page.evaluate(() => globalThis.navigator.clipboard.readText()).catch(() => "");
  record("Copy puts the feed URL on the clipboard with a toast", clipboard === feedUrl && (await page.getByText("Feed URL copied").count()) > 0);

  // Mapping editor: pick a product, add " | Free shipping" after the title, see the preview change.
  await page.locator('[data-testid="channel-card-meta"]').getByRole("link", { name: /mapping/i }).first().click();
  await page.waitForURL(/\/app\/channels\/meta\/mapping/, { timeout: 10_000 }).catch(() => undefined);
  await page.getByRole("heading", { name: /mapping$/ }).first().waitFor({ timeout: 10_000 }).catch(() => undefined);
  const picker = page.getByRole("combobox", { name: "Preview with product" });
  await picker.click();
  await picker.fill("");
  const options = page.getByRole("listbox", { name: "Preview with product" }).getByRole("option");
  await options.nth(1).waitFor({ timeout: 10_000 }).catch(() => undefined);
  const picked = ((await options.nth(1).textContent()) ?? "").split(" · ")[0];
  await options.nth(1).click();
  const preview = page.locator('[data-testid="mapping-preview"][data-current="true"]');
  await preview.waitFor({ timeout: 15_000 }).catch(() => undefined);
  if ((await page.getByTestId("field-rules-title").count()) === 0) {
    await page.getByLabel("Add a rule for").selectOption("title");
    await page.getByRole("button", { name: "Add rule", exact: true }).click();
  }
  const titleRules = page.getByTestId("field-rules-title");
  await titleRules.getByRole("button", { name: "Add step" }).first().click();
  await titleRules.getByLabel("Text after").first().fill(" | Free shipping");
  const changed = page.locator('[data-testid="mapping-preview"][data-current="true"] [data-testid="preview-change-title"] [data-testid="preview-after"]');
  await changed.first().waitFor({ timeout: 15_000 }).catch(() => undefined);
  const after = (await changed.count()) > 0 ? await changed.first().textContent() : null;
  await page.screenshot({ path: path.join(screenshots, "mapping-editor.png"), fullPage: true });
  record("the mapping preview shows the draft's new title for the picked product", after?.endsWith(" | Free shipping") === true, `${picked}: ${after}`);

  // Save asks first, listing what changes; nothing is saved here.
  await page.getByRole("button", { name: "Save", exact: true }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByText("Free shipping").first().waitFor({ timeout: 10_000 }).catch(() => undefined);
  const dialogLists = (await dialog.getByText("Free shipping").count()) > 0;
  await page.screenshot({ path: path.join(screenshots, "mapping-save.png"), fullPage: false });
  await dialog.getByRole("button", { name: "Keep editing" }).click();
  record("Save opens a confirmation listing the title change", dialogLists);

  // Product detail: the Channels card, for a product with something to fix if one is near the top.
  await page.goto(`${base}/app/products`);
  const hrefs = await page.locator("table tbody tr a[href*='/app/products/']").evaluateAll((links) => links.slice(0, 12).map((link) => link.getAttribute("href")));
  let card = null;
  for (const href of hrefs) {
    await page.goto(`${base}${href}`);
    card = page.getByTestId("product-channels");
    await card.waitFor({ timeout: 15_000 }).catch(() => undefined);
    if ((await card.getByText(/^Errors \(/).count()) > 0) break;
  }
  const badges = card ? await card.getByText(/^(Ready|Partly ready|Blocked|Excluded)$/).count() : 0;
  if (card && (await card.count()) > 0) {
    // Open what the first and the last channel receive (TikTok Shop's JSON payload, a flat feed row).
    const disclosures = card.getByRole("button", { name: /^What .* receives/ });
    const count = await disclosures.count();
    for (const index of new Set([0, count - 1].filter((i) => i >= 0))) await disclosures.nth(index).click();
    await page.waitForTimeout(300);
    await card.screenshot({ path: path.join(screenshots, "product-channels.png") });
  }
  record("a product's Channels card shows a readiness badge for every channel", badges === 5, `${badges} badges on ${page.url()}`);
}

/** Pixels & consent: run the checks on the default plan and the shipped extension, then on a recorded HAR. */
async function checkPixels(page) {
  await page.goto(`${base}/app/pixels`);
  await page.getByRole("heading", { name: "Pixels & consent", exact: true }).first().waitFor({ timeout: 10_000 }).catch(() => undefined);
  await page.getByRole("button", { name: "Run checks", exact: true }).first().click();
  const findings = page.getByTestId("pixel-findings");
  await findings.waitFor({ timeout: 30_000 }).catch(() => undefined);
  const errorsBadge = await page.getByText(/^\d+ errors$/).first().textContent().catch(() => null);
  record("Run checks lists findings by severity, with no errors for the default plan and the shipped pixel", (await findings.count()) > 0 && errorsBadge === "0 errors", `${errorsBadge}`);

  const fixtures = path.join(root, "tests/fixtures/tracking");
  const har = existsSync(fixtures) ? readdirSync(fixtures).find((name) => name.endsWith(".har")) : undefined;
  if (har) {
    await page.locator('input[type="file"]').first().setInputFiles(path.join(fixtures, har));
    const heading = page.getByRole("heading", { name: `Session from ${har}` });
    await heading.first().waitFor({ timeout: 30_000 }).catch(() => undefined);
    const rows = await page.locator('[data-testid="pixel-timeline"] tbody tr').count();
    record("an uploaded HAR is checked and its requests shown as a timeline with consent", (await heading.count()) > 0 && rows > 0, `${har}: ${rows} events`);
  }
  await page.screenshot({ path: path.join(screenshots, "pixels.png"), fullPage: true });
}

const started = Date.now();
const demo = spawn(process.execPath, [path.join(root, "scripts/demo.mjs")], {
  cwd: root,
  env: { ...process.env, PORT: String(port), SHELFCAST_DATA_DIR: dataDir, LOG_LEVEL: "warn" },
  stdio: ["ignore", "inherit", "inherit"],
  detached: true,
});

let browser;
try {
  await waitFor(async () => (await fetch(`${base}/healthz`)).ok, 120_000, "the demo server");
  const bootSeconds = (Date.now() - started) / 1000;
  record(`demo answers on 127.0.0.1 within 60 s (took ${bootSeconds.toFixed(1)} s)`, bootSeconds < 60);

  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  mkdirSync(screenshots, { recursive: true });

  // The demo imports its catalog through the bulk-JSONL reader in a job; wait for it to finish.
  await page.goto(`${base}/app`);
  await waitFor(async () => (await page.locator("text=succeeded").count()) > 0, 120_000, "the demo catalog import");
  const variants = await page.locator("text=Variants").locator("xpath=following-sibling::*[1]").first().textContent();
  record(`dashboard shows the imported catalog (${variants} variants)`, Number((variants ?? "0").replace(/,/g, "")) > 1000);

  for (const [name, url, heading] of PAGES) {
    const response = await page.goto(`${base}${url}`);
    const status = response?.status();
    const csp = response?.headers()["content-security-policy"] ?? "";
    await page.getByRole("heading", { name: heading, exact: true }).first().waitFor({ timeout: 10_000 }).catch(() => undefined);
    const hasHeading = (await page.getByRole("heading", { name: heading, exact: true }).count()) > 0;
    const hasBanner = (await page.getByText("Demo shop", { exact: true }).count()) > 0;
    await page.screenshot({ path: path.join(screenshots, `${name}.png`), fullPage: false });
    record(
      `${url} answers 200 with its heading, the demo banner and a per-shop frame-ancestors`,
      status === 200 && hasHeading && hasBanner && csp.includes("frame-ancestors https://shelfcast-demo.myshopify.com"),
      `status ${status}, heading ${hasHeading}, banner ${hasBanner}`,
    );
  }

  // A product opens from the list with its variants, inventory and metafields.
  await page.goto(`${base}/app/products`);
  await page.locator("table tbody tr").first().click();
  await page.waitForURL(/\/app\/products\/\d+/, { timeout: 10_000 }).catch(() => undefined);
  const onDetail = /\/app\/products\/\d+/.test(page.url());
  const variantsHeading = page.getByRole("heading", { name: /^Variants \(\d+\)$/ });
  await variantsHeading.first().waitFor({ timeout: 10_000 }).catch(() => undefined);
  const detailShowsVariants = (await variantsHeading.count()) > 0;
  await page.screenshot({ path: path.join(screenshots, "product-detail.png"), fullPage: false });
  record("a product opens from the list with its variants", onDetail && detailShowsVariants, page.url());

  // Channels: wait for the first feed build (debounced after the demo import), then check the page
  // against its own loader data, the CLI, the feed URL and the mapping editor's live preview.
  await checkChannels(page);
  await checkPixels(page);

  // Products search runs on the server.
  await page.goto(`${base}/app/products?query=zzzz-no-such-product`);
  record("products search shows the empty state for no match", (await page.getByText("No products match").count()) > 0);

  // Demo sign-in is for loopback names only: a request naming another Host gets no demo session.
  // (node:http, because fetch does not let a caller set Host.)
  const forgedStatus = await new Promise((resolve, reject) => {
    const req = http.get({ host: "127.0.0.1", port, path: "/app", headers: { host: "shelfcast.example.com", "user-agent": "Mozilla/5.0 Chrome/156" } }, (res) => {
      res.resume();
      resolve(res.statusCode);
    });
    req.on("error", reject);
  });
  record("a non-loopback Host gets no demo session", forgedStatus !== 200, `status ${forgedStatus}`);

  // Production with demo mode on refuses to boot, naming the variable.
  const refused = spawnSync(process.execPath, [path.join(root, "server.mjs")], {
    cwd: root,
    env: { ...process.env, NODE_ENV: "production", SHELFCAST_DEMO: "1", PORT: String(port + 1), PGLITE_DATA_DIR: path.join(dataDir, "refused") },
    encoding: "utf8",
    timeout: 30_000,
  });
  record(
    "NODE_ENV=production with demo mode refuses to boot with a clear message",
    refused.status === 1 && /SHELFCAST_DEMO: demo mode .* must never run in production/.test(refused.stderr),
    `exit ${refused.status}: ${refused.stderr.trim().split("\n").slice(-1)[0]}`,
  );
} catch (error) {
  record(`e2e run`, false, error.message);
} finally {
  await browser?.close();
  try {
    process.kill(-demo.pid, "SIGTERM");
  } catch {
    // already gone
  }
  rmSync(dataDir, { recursive: true, force: true });
}

const failed = results.filter((r) => !r.ok).length;
console.log(`\n${results.length - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);

// End-to-end check of the demo, as a new user would see it: `npm run demo` on a fresh data
// folder, then every nav page in Debian's Chromium (driven by playwright-core), with a screenshot
// of each in docs/screenshots. Prints "N passed, N failed" and exits non-zero on any failure.
import { spawn, spawnSync } from "node:child_process";
import http from "node:http";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
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

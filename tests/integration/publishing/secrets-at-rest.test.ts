import { HttpResponse, http } from "msw";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { replaceProducts } from "../../../app/.server/repositories/catalog";
import { upsertShopInstalled } from "../../../app/.server/repositories/shops";
import type { Runtime } from "../../../app/.server/runtime";
import { listConnectionSummaries, saveMetaConnection } from "../../../app/.server/services/publishing/connections";
import { planChannelItems } from "../../../app/.server/services/publishing/plan-channel-items";
import { publishCatalog, type PublishCatalogJob } from "../../../app/.server/services/publishing/publish-catalog";
import type { PublishDeps } from "../../../app/.server/services/publishing/publish-deps";
import { readBackCatalog } from "../../../app/.server/services/publishing/read-back-catalog";
import { MetaCatalogFake, TikTokShopFake } from "../../../app/demo/channel-fakes";
import { buildPublishableShirt, connectChannelFakes } from "../../factories/publishing";
import secretLiterals from "../../fixtures/secret-literals.json";
import { useChannelFakes } from "../../mocks/channel-fakes";
import { mockServer } from "../../mocks/server";
import { startTestApp, stopTestApp } from "../../setup/app";

/**
 * Issue 5: "A dump of the database holds no plaintext token." Meta and TikTok Shop are connected
 * through the real flows and published to, TikTok's access token is refreshed on every job (the fake
 * issues tokens that expire within Shelfcast's 24-hour margin), and the channels echo the secrets
 * back in their error texts where Shelfcast stores them (a connection's last error, a run's error,
 * an item's verdict). Then every row of every table (the app's and pg-boss's job data) is read as
 * text and searched for every secret in play, as written and URL-encoded.
 */

const SHOP = "secrets-at-rest.myshopify.com";
const META_TOKEN = secretLiterals.secrets.secretsAtRestMetaToken;
const TIKTOK_APP_KEY = "atrestapp01";
const TIKTOK_APP_SECRET = secretLiterals.secrets.secretsAtRestTikTokAppSecret;
const GRAPH = "https://graph.facebook.com/v21.0";
const TIKTOK_API = "https://open-api.tiktokglobalshop.com";
const TIKTOK_AUTH = "https://auth.tiktok-shops.com";
const JOBS: PublishCatalogJob[] = [
  { shop: SHOP, channel: "meta", market: "US", trigger: "test" },
  { shop: SHOP, channel: "tiktok", market: "US", trigger: "test" },
];

/** Every row of every table of the app's schema and pg-boss's, one JSON text per row. */
async function dumpDatabase(runtime: Runtime): Promise<{ tables: string[]; text: string }> {
  const { rows: tables } = await runtime.db.sql.query<{ table_schema: string; table_name: string }>(
    `SELECT "table_schema", "table_name" FROM information_schema.tables
     WHERE "table_schema" IN ('public', 'pgboss') AND "table_type" = 'BASE TABLE' ORDER BY 1, 2`,
  );
  const lines: string[] = [];
  for (const { table_schema: schema, table_name: table } of tables) {
    const { rows } = await runtime.db.sql.query<{ row: string }>(`SELECT row_to_json(t)::text AS row FROM "${schema}"."${table}" t`);
    for (const { row } of rows) lines.push(`${schema}.${table}: ${row}`);
  }
  return { tables: tables.map((entry) => `${entry.table_schema}.${entry.table_name}`), text: lines.join("\n") };
}

/** The spellings a secret has at rest: as written, URL-encoded, JSON-escaped. */
function spellings(secret: string): string[] {
  return [...new Set([secret, encodeURIComponent(secret), new URLSearchParams({ s: secret }).toString().slice(2), JSON.stringify(secret).slice(1, -1)])];
}

function tiktokEnvelope(code: number, message: string, status = 200) {
  return HttpResponse.json({ code, message, request_id: "echo-request" }, { status });
}

describe("secrets at rest", () => {
  let runtime: Runtime;
  let meta: MetaCatalogFake;
  let tiktok: TikTokShopFake;
  let now = new Date("2026-03-02T10:00:00Z");
  const deps: PublishDeps = {
    now: () => now,
    sleep: async (ms) => {
      now = new Date(now.getTime() + ms);
    },
    random: () => 0.5,
    fetchFor: async () => ((input: RequestInfo | URL, init?: RequestInit) => globalThis.fetch(input, init)) as typeof fetch,
  };
  const later = (minutes: number) => {
    now = new Date(now.getTime() + minutes * 60_000);
  };

  beforeAll(async () => {
    runtime = await startTestApp();
    await upsertShopInstalled(runtime.db.prisma, SHOP, "read_products", { name: "At rest", currencyCode: "USD", countryCode: "US", storefrontUrl: "https://at-rest.example.com" });
    await replaceProducts(
      runtime.db,
      SHOP,
      Array.from({ length: 6 }, (_, index) => buildPublishableShirt(8_200_000 + index, { title: `Linen shirt ${index}`, price: "30.00", quantity: 4 }, ["Small", "Large"])),
      new Date(),
    );
    meta = new MetaCatalogFake({ accessToken: META_TOKEN, now: () => now, pollsUntilFinished: 0 });
    // Tokens that expire within the 24-hour margin: every job refreshes the access token first.
    tiktok = new TikTokShopFake({ appKey: TIKTOK_APP_KEY, appSecret: TIKTOK_APP_SECRET, now: () => now, accessTokenTtlSeconds: 3_600 });
    useChannelFakes(meta, tiktok);
    await connectChannelFakes(runtime, SHOP, { meta, tiktok }, { metaToken: META_TOKEN, tiktokAppKey: TIKTOK_APP_KEY, tiktokAppSecret: TIKTOK_APP_SECRET }, now);
    await planChannelItems(runtime, { shop: SHOP, trigger: "test" }, () => now);
  });
  afterAll(async () => stopTestApp(runtime));

  it("stores the channels' echoes of the secrets scrubbed: the reconnect reason, the run error, the verdicts, the refresh error", async () => {
    useChannelFakes(meta, tiktok);
    const encodedToken = encodeURIComponent(META_TOKEN);
    const encodedSecret = encodeURIComponent(TIKTOK_APP_SECRET);
    // Meta refuses the token and quotes it (as sent, and from a query string).
    mockServer.use(
      http.post(
        `${GRAPH}/:catalogId/items_batch`,
        () =>
          HttpResponse.json(
            { error: { message: `Invalid OAuth access token - Cannot parse access token ${META_TOKEN} (access_token=${encodedToken})`, type: "OAuthException", code: 190, fbtrace_id: "Aecho" } },
            { status: 400 },
          ),
        { once: true },
      ),
    );
    expect(await publishCatalog(runtime, JOBS[0] as PublishCatalogJob, deps)).toMatchObject({ status: "reconnect" });
    const [metaSummary] = (await listConnectionSummaries(runtime, SHOP)).filter((summary) => summary.channel === "meta");
    expect(metaSummary).toMatchObject({ status: "reconnect", lastError: expect.stringContaining("[redacted]") });
    expect(await saveMetaConnection(runtime, SHOP, { catalogId: meta.catalogId, businessId: meta.businessId, token: META_TOKEN })).toMatchObject({ ok: true });

    // Meta refuses one item in the batch, quoting the token in the item's error; the others go live.
    const refusedItem = "820000001";
    mockServer.use(
      http.post(
        `${GRAPH}/:catalogId/items_batch`,
        async ({ request }) => {
          const body = (await request.clone().json()) as { requests: { data: { id: string } }[] };
          const answer = await meta.handle(new Request(request.url, { method: "POST", headers: request.headers, body: JSON.stringify({ ...body, requests: body.requests.filter((entry) => entry.data.id !== refusedItem) }) }));
          const ingested = (await answer?.json()) as { handles: string[] };
          return HttpResponse.json({
            handles: ingested.handles,
            validation_status: [{ retailer_id: refusedItem, errors: [{ message: `Token ${META_TOKEN} may not set field condition (${encodedToken})` }], warnings: [] }],
          });
        },
        { once: true },
      ),
    );
    expect(await publishCatalog(runtime, JOBS[0] as PublishCatalogJob, deps)).toMatchObject({ status: "partial" });
    expect(meta.items.size).toBe(11);

    // TikTok refuses one product, quoting the access token it was sent and the app secret.
    let refusedCreates = 0;
    mockServer.use(
      http.post(
        `${TIKTOK_API}/product/202309/products`,
        ({ request }) => {
          refusedCreates += 1;
          const token = request.headers.get("x-tts-access-token") ?? "";
          return tiktokEnvelope(12052700, `title: not allowed for token ${token} signed with ${TIKTOK_APP_SECRET} (${encodeURIComponent(token)}, ${encodedSecret})`);
        },
        { once: true },
      ),
    );
    expect(await publishCatalog(runtime, JOBS[1] as PublishCatalogJob, deps)).toMatchObject({ status: "partial" });
    expect(refusedCreates).toBe(1);
    expect(tiktok.products.size).toBe(5);

    // A refresh that fails on TikTok's side echoes the refresh token and the app secret from its URL.
    let refreshFailures = 0;
    mockServer.use(
      http.get(
        `${TIKTOK_AUTH}/api/v2/token/refresh`,
        ({ request }) => {
          refreshFailures += 1;
          const query = new URL(request.url).searchParams;
          return tiktokEnvelope(1000, `upstream failed for refresh_token=${query.get("refresh_token")}&app_secret=${encodeURIComponent(query.get("app_secret") ?? "")} (${request.url})`, 503);
        },
        { once: true },
      ),
    );
    later(5);
    await readBackCatalog(runtime, { ...(JOBS[1] as PublishCatalogJob), trigger: "schedule" }, deps);
    expect(refreshFailures).toBe(1);
    const [tiktokSummary] = (await listConnectionSummaries(runtime, SHOP)).filter((summary) => summary.channel === "tiktok");
    expect(tiktokSummary?.lastError).toContain("[redacted]");

    // More jobs, each refreshing TikTok's token first.
    later(5);
    await readBackCatalog(runtime, { ...(JOBS[0] as PublishCatalogJob), trigger: "schedule" }, deps);
    await readBackCatalog(runtime, { ...(JOBS[1] as PublishCatalogJob), trigger: "schedule" }, deps);
    expect(tiktok.accessTokens.size).toBeGreaterThanOrEqual(3);
  });

  it("a dump of every table holds none of the secrets, as written or URL-encoded", async () => {
    const { tables, text } = await dumpDatabase(runtime);
    expect(tables).toEqual(expect.arrayContaining(["public.channel_connection", "public.channel_item", "public.publish_run", "pgboss.job"]));
    // What was stored: the encrypted connections, the scrubbed echoes, the jobs.
    const redactedIn = new Set(text.split("\n").filter((line) => line.includes("[redacted]")).map((line) => line.slice(0, line.indexOf(":"))));
    // The run that Meta's echo ended, and the verdicts of the refused item and product.
    expect(redactedIn).toContain("public.publish_run");
    expect([...redactedIn].filter((table) => table !== "public.publish_run").length).toBeGreaterThan(0);
    expect(text).toMatch(/"secrets_ciphertext":"v1:/);
    expect(text).toContain(`"shop":"${SHOP}"`);

    const secrets = {
      metaToken: META_TOKEN,
      tiktokAppSecret: TIKTOK_APP_SECRET,
      ...Object.fromEntries([...tiktok.accessTokens.keys()].map((token, index) => [`tiktokAccessToken${index + 1}`, token])),
      ...Object.fromEntries([...tiktok.refreshTokens.keys()].map((token, index) => [`tiktokRefreshToken${index + 1}`, token])),
    };
    expect(Object.keys(secrets).length).toBeGreaterThanOrEqual(6);
    const found = Object.entries(secrets).flatMap(([name, secret]) => spellings(secret).filter((form) => text.includes(form)).map((form) => `${name} as ${form === secret ? "written" : "encoded"}`));
    expect(found).toEqual([]);
  });
});

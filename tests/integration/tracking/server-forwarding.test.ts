import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { QUEUES } from "../../../app/.server/jobs/names";
import { logger } from "../../../app/.server/logger";
import { listPixelDestinations } from "../../../app/.server/repositories/pixel-destinations";
import type { Runtime } from "../../../app/.server/runtime";
import { ForwardRetryError, forwardPixelEvents } from "../../../app/.server/services/tracking/forward-pixel-events";
import { listDestinationViews, saveDestination } from "../../../app/.server/services/tracking/pixel-destinations";
import { action } from "../../../app/routes/pixel.collect";
import { metaCapiFake, type MetaCapiFake } from "../../mocks/meta-capi";
import { mockServer } from "../../mocks/server";
import { tiktokEventsFake, type TikTokEventsFake } from "../../mocks/tiktok-events";
import { drainQueue, startTestApp, stopTestApp } from "../../setup/app";

const SHOP = "forwarding-shop.myshopify.com";
const META_PIXEL = "123456789012345";
const TIKTOK_PIXEL = "C4TIKTOKPIXEL12345";
const META_TOKEN = "EAAmetaSECRETtoken0000000000000000001234";
const TIKTOK_TOKEN = "ttSECRETtokenABCDEFGHIJKLMNOPQRSTUV9876";
const CONSENTED = { marketing: true, analytics: true, saleOfData: true };
const NO_MARKETING = { marketing: false, analytics: true, saleOfData: true };
const NO_SALE = { marketing: true, analytics: true, saleOfData: false };

function collect(events: Record<string, unknown>[]): Promise<Response> {
  const request = new Request("https://shelfcast.test/pixel/collect", {
    method: "POST",
    headers: { "content-type": "text/plain;charset=UTF-8" },
    body: JSON.stringify({ shop: SHOP, events }),
  });
  return action({ request, params: {}, context: {} });
}

function event(platform: "meta" | "tiktok", eventId: string, consent: Record<string, boolean>, eventName = platform === "meta" ? "Purchase" : "CompletePayment") {
  return {
    platform,
    eventName,
    eventId,
    params: { value: 42.5, currency: "USD", content_ids: ["sku-1"], content_type: "product", em: "visitor@example.com" },
    time: new Date().toISOString(),
    consent,
    url: "https://forwarding-shop.example/checkouts/thank-you?email=visitor@example.com",
  };
}

/** The queued forwarding job runs now instead of after its batching delay. */
async function runForwardingJobs(runtime: Runtime) {
  await runtime.db.sql.query(`UPDATE pgboss.job SET start_after = now() WHERE name = $1 AND state IN ('created', 'retry')`, [QUEUES.forwardPixelEvents]);
  return drainQueue(runtime, QUEUES.forwardPixelEvents);
}

async function forwardState(runtime: Runtime, eventIds: string[]) {
  const { rows } = await runtime.db.sql.query<{ event_id: string; platform: string; forward_status: string | null; forward_error: string | null; forwarded: boolean }>(
    `SELECT "event_id", "platform", "forward_status", "forward_error", "forwarded_at" IS NOT NULL AS forwarded FROM "pixel_event"
     WHERE "shop" = $1 AND "event_id" = ANY($2) ORDER BY "event_id", "platform"`,
    [SHOP, eventIds],
  );
  return rows;
}

describe("server-side forwarding to Meta CAPI and TikTok Events API", () => {
  let runtime: Runtime;
  let meta: MetaCapiFake;
  let tiktok: TikTokEventsFake;
  const logLines: string[] = [];

  beforeAll(async () => {
    runtime = await startTestApp();
    await runtime.db.prisma.shop.create({ data: { shop: SHOP } });
    for (const method of ["trace", "debug", "info", "warn", "error", "fatal"] as const) {
      vi.spyOn(logger, method).mockImplementation(((...args: unknown[]) => {
        logLines.push(JSON.stringify(args, (_key, value: unknown) => (value instanceof Error ? { message: value.message, stack: value.stack } : value)));
      }) as never);
    }
  });
  afterAll(async () => {
    vi.restoreAllMocks();
    await stopTestApp(runtime);
  });

  beforeEach(() => {
    const metaMock = metaCapiFake({ pixelId: META_PIXEL, token: META_TOKEN });
    const tiktokMock = tiktokEventsFake({ pixelCode: TIKTOK_PIXEL, token: TIKTOK_TOKEN });
    meta = metaMock.fake;
    tiktok = tiktokMock.fake;
    mockServer.use(...metaMock.handlers, ...tiktokMock.handlers);
  });
  afterEach(() => {
    for (const line of logLines) {
      expect(line).not.toContain(META_TOKEN);
      expect(line).not.toContain(TIKTOK_TOKEN);
    }
  });

  it("stores connections encrypted and shows only the last four characters", async () => {
    expect(await saveDestination(runtime, SHOP, { platform: "meta", pixelId: META_PIXEL, accessToken: META_TOKEN, testEventCode: "" })).toMatchObject({ ok: true });
    expect(await saveDestination(runtime, SHOP, { platform: "tiktok", pixelId: TIKTOK_PIXEL, accessToken: TIKTOK_TOKEN })).toMatchObject({ ok: true });
    expect(await saveDestination(runtime, SHOP, { platform: "meta", pixelId: "not-a-number", accessToken: META_TOKEN })).toMatchObject({ ok: false, errors: [{ field: "pixelId" }] });
    const views = await listDestinationViews(runtime, SHOP);
    expect(views.map((view) => [view.platform, view.pixelId, view.tokenMask, view.status])).toEqual([
      ["meta", META_PIXEL, "•••• 1234", "connected"],
      ["tiktok", TIKTOK_PIXEL, "•••• 9876", "connected"],
    ]);
    expect(JSON.stringify(views)).not.toContain(META_TOKEN);
    const [stored] = await listPixelDestinations(runtime.db.sql, SHOP);
    expect(stored?.tokenCiphertext).toMatch(/^v1:dev:/);
  });

  it("forwards only consented events, with LDU when sale of data was refused, sharing the browser's event ids", async () => {
    const response = await collect([
      event("meta", "fw-meta-ok", CONSENTED),
      event("meta", "fw-meta-held", NO_MARKETING),
      event("meta", "fw-meta-ldu", NO_SALE),
      event("tiktok", "fw-tt-ok", CONSENTED),
      event("tiktok", "fw-tt-held", NO_MARKETING),
      event("tiktok", "fw-tt-ldu", NO_SALE),
      { ...event("meta", "fw-ga4", CONSENTED), platform: "ga4", eventName: "purchase" },
    ]);
    expect(response.status).toBe(204);
    const queued = await runtime.boss.findJobs(QUEUES.forwardPixelEvents, { data: { shop: SHOP }, queued: true });
    expect(queued).toHaveLength(1);
    expect(await runForwardingJobs(runtime)).toEqual({ completed: 1, failed: 0 });

    expect(meta.requests).toHaveLength(1);
    const metaEvents = meta.requests[0]?.body.data as Record<string, unknown>[];
    expect(metaEvents.map((e) => e.event_id)).toEqual(["fw-meta-ok", "fw-meta-ldu"]);
    expect(metaEvents[0]).toMatchObject({ event_name: "Purchase", action_source: "website", event_source_url: "https://forwarding-shop.example/checkouts/thank-you", user_data: {}, custom_data: { value: 42.5, currency: "USD", content_ids: ["sku-1"] } });
    expect(metaEvents[0]).not.toHaveProperty("data_processing_options");
    expect(metaEvents[1]).toMatchObject({ data_processing_options: ["LDU"], data_processing_options_country: 0, data_processing_options_state: 0 });
    expect(JSON.stringify(meta.requests)).not.toContain("visitor@example.com");

    expect(tiktok.requests).toHaveLength(1);
    const tiktokBody = tiktok.requests[0]?.body as { event_source: string; event_source_id: string; data: Record<string, unknown>[] };
    expect(tiktokBody.event_source).toBe("web");
    expect(tiktokBody.event_source_id).toBe(TIKTOK_PIXEL);
    expect(tiktokBody.data.map((e) => [e.event, e.event_id, e.limited_data_use ?? false])).toEqual([
      ["CompletePayment", "fw-tt-ok", false],
      ["CompletePayment", "fw-tt-ldu", true],
    ]);

    expect((await forwardState(runtime, ["fw-meta-ok", "fw-meta-held", "fw-meta-ldu", "fw-tt-ok", "fw-tt-held", "fw-tt-ldu"])).map((row) => [row.event_id, row.forward_status, row.forwarded])).toEqual([
      ["fw-meta-held", null, false],
      ["fw-meta-ldu", "sent", true],
      ["fw-meta-ok", "sent", true],
      ["fw-tt-held", null, false],
      ["fw-tt-ldu", "sent", true],
      ["fw-tt-ok", "sent", true],
    ]);
    const [metaDestination] = await listPixelDestinations(runtime.db.sql, SHOP);
    expect(metaDestination?.lastForwardedAt).toBeInstanceOf(Date);
  });

  it("retries a 5xx or a rate limit, then sends", async () => {
    await collect([event("meta", "fw-retry-meta", CONSENTED), event("tiktok", "fw-retry-tt", CONSENTED)]);
    meta.failNext({ status: 503 });
    tiktok.failNext({ code: 40100, message: "Too many requests" });
    await expect(forwardPixelEvents(runtime, { shop: SHOP }, () => new Date())).rejects.toBeInstanceOf(ForwardRetryError);
    expect((await forwardState(runtime, ["fw-retry-meta", "fw-retry-tt"])).map((row) => row.forward_status)).toEqual([null, null]);
    const again = await forwardPixelEvents(runtime, { shop: SHOP }, () => new Date());
    expect(again).toMatchObject({ sent: 2, failed: 0, retry: [] });
    expect(meta.requests.flatMap((request) => (request.body.data as { event_id: string }[]).map((e) => e.event_id))).toEqual(["fw-retry-meta"]);
    expect(tiktok.requests).toHaveLength(1);
    expect((await forwardState(runtime, ["fw-retry-meta", "fw-retry-tt"])).map((row) => row.forward_status)).toEqual(["sent", "sent"]);
  });

  it("retries through pg-boss: the failed job is retried by the queue", async () => {
    await collect([event("meta", "fw-boss-retry", CONSENTED)]);
    meta.failNext({ status: 500 });
    expect(await runForwardingJobs(runtime)).toEqual({ completed: 0, failed: 1 });
    expect(await runForwardingJobs(runtime)).toEqual({ completed: 1, failed: 0 });
    expect((await forwardState(runtime, ["fw-boss-retry"])).map((row) => row.forward_status)).toEqual(["sent"]);
  });

  it("marks the connection for reconnecting when the platform refuses the token", async () => {
    meta.token = "a-different-token-the-merchant-revoked";
    await collect([event("meta", "fw-bad-token", CONSENTED)]);
    const result = await forwardPixelEvents(runtime, { shop: SHOP }, () => new Date());
    expect(result).toMatchObject({ sent: 0, failed: 1 });
    const [row] = await forwardState(runtime, ["fw-bad-token"]);
    expect(row?.forward_status).toBe("failed");
    expect(row?.forward_error).toBe("Meta answered HTTP 401 (code 190): Invalid OAuth access token - Cannot parse access token");
    const views = await listDestinationViews(runtime, SHOP);
    expect(views.find((view) => view.platform === "meta")).toMatchObject({ status: "reconnect", lastError: expect.stringContaining("code 190") });
    // Later events are not sent with a refused token; saving a new token reconnects.
    await collect([event("meta", "fw-after-refusal", CONSENTED)]);
    await forwardPixelEvents(runtime, { shop: SHOP }, () => new Date());
    expect((await forwardState(runtime, ["fw-after-refusal"]))[0]?.forward_error).toBe("the meta connection needs a new access token");
    expect(meta.requests).toHaveLength(0);
    meta.token = META_TOKEN;
    await saveDestination(runtime, SHOP, { platform: "meta", pixelId: META_PIXEL, accessToken: META_TOKEN });
    expect((await listDestinationViews(runtime, SHOP)).find((view) => view.platform === "meta")?.status).toBe("connected");
  });

  it("keeps no plaintext token anywhere in the database", async () => {
    const { rows: columns } = await runtime.db.sql.query<{ table_schema: string; table_name: string; column_name: string }>(
      `SELECT table_schema, table_name, column_name FROM information_schema.columns
       WHERE table_schema NOT IN ('pg_catalog', 'information_schema') AND data_type IN ('text', 'character varying', 'jsonb', 'json', 'bytea')`,
    );
    expect(columns.some((column) => column.table_name === "pixel_destination" && column.column_name === "token_ciphertext")).toBe(true);
    let scanned = 0;
    for (const { table_schema, table_name, column_name } of columns) {
      const { rows } = await runtime.db.sql.query<{ hits: number }>(
        `SELECT count(*)::int AS hits FROM "${table_schema}"."${table_name}" WHERE position($1 in "${column_name}"::text) > 0 OR position($2 in "${column_name}"::text) > 0`,
        [META_TOKEN, TIKTOK_TOKEN],
      );
      expect(rows[0]?.hits, `${table_schema}.${table_name}.${column_name}`).toBe(0);
      scanned += 1;
    }
    expect(scanned).toBeGreaterThan(20);
  });
});

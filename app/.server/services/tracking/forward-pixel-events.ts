import { z } from "zod";
import { MAX_SERVER_EVENT_AGE_MS } from "~/domain/tracking/server-forwarding";
import {
  metaEventsBodies,
  metaVerdict,
  tiktokEventsBodies,
  tiktokVerdict,
  type ForwardableEvent,
  type SendVerdict,
} from "~/domain/tracking/server-payloads";
import { META_GRAPH_ORIGIN, META_GRAPH_VERSION } from "../../channels/meta/graph";
import { QUEUES } from "../../jobs/names";
import { logger } from "../../logger";
import {
  listPendingForwardEvents,
  listPixelDestinations,
  markForwardEvents,
  recordDestinationAttempt,
  type DestinationPlatform,
  type PendingForwardEvent,
  type PixelDestinationRow,
} from "../../repositories/pixel-destinations";
import type { Runtime } from "../../runtime";
import { scrubSecrets } from "../../security/scrub";
import { decryptSecret, keyringFor } from "../../security/secrets";

/**
 * The "pixel-forward" job: sends a shop's collected events that were cleared for server-side
 * forwarding (outcome forward / forward_limited) to Meta's Conversions API and TikTok's Events API,
 * for the platforms the shop connected. Tokens are decrypted in memory for the request and never
 * logged, stored in clear or returned; a platform's error text is scrubbed of the token before it is
 * recorded.
 *
 * Outcomes per event: `sent`; `failed` with the platform's reason (bad input, refused token, older
 * than Meta's 7 days); `no_destination` when the shop has no connection for the event's platform.
 * Transient answers (HTTP 5xx/429, rate-limit codes, network errors) leave the events pending and fail
 * the job, so pg-boss retries it with backoff; once the retries run out the events stay pending until
 * the next job for the shop.
 */
export const ForwardPixelEventsJobSchema = z.object({ shop: z.string().min(1) });
export type ForwardPixelEventsJob = z.infer<typeof ForwardPixelEventsJobSchema>;

/** Collector beacons arrive in bursts: waiting a few seconds turns a page's worth into one job. */
export const FORWARD_BATCH_DELAY_SECONDS = 5;
/** Events handled per job; more wait for the next job (the collector keeps asking for one). */
export const FORWARD_EVENTS_PER_JOB = 5_000;
/** The Graph API version and origin now live with the Meta client; re-exported for existing importers. */
export { META_GRAPH_ORIGIN, META_GRAPH_VERSION };
export const TIKTOK_EVENTS_URL = "https://business-api.tiktok.com/open_api/v1.3/event/track/";
/** Meta asks for a short timeout; slow answers are retried by the job. */
const REQUEST_TIMEOUT_MS = 10_000;

/** Asks for a forwarding job for the shop; one waits per shop (singletonKey), so a burst of beacons coalesces. */
export async function requestPixelForwarding(runtime: Runtime, shop: string): Promise<void> {
  await runtime.boss.send(QUEUES.forwardPixelEvents, { shop }, { singletonKey: shop, startAfter: FORWARD_BATCH_DELAY_SECONDS });
}

export interface ForwardResult {
  sent: number;
  failed: number;
  noDestination: number;
  /** Platforms whose send must be retried. */
  retry: DestinationPlatform[];
}

export class ForwardRetryError extends Error {
  constructor(shop: string, reasons: string[]) {
    super(`pixel forwarding for ${shop} will be retried: ${reasons.join("; ")}`);
    this.name = "ForwardRetryError";
  }
}

export async function forwardPixelEvents(runtime: Runtime, job: ForwardPixelEventsJob, now: () => Date, fetchImpl: typeof fetch = fetch): Promise<ForwardResult> {
  const { shop } = job;
  const sql = runtime.db.sql;
  const result: ForwardResult = { sent: 0, failed: 0, noDestination: 0, retry: [] };
  const pending = await listPendingForwardEvents(sql, shop, FORWARD_EVENTS_PER_JOB);
  if (pending.length === 0) return result;
  const destinations = new Map((await listPixelDestinations(sql, shop)).map((destination) => [destination.platform, destination]));
  const retryReasons: string[] = [];

  const byPlatform = new Map<string, PendingForwardEvent[]>();
  for (const event of pending) byPlatform.set(event.platform, [...(byPlatform.get(event.platform) ?? []), event]);

  for (const [platform, events] of byPlatform) {
    const destination = destinations.get(platform as DestinationPlatform);
    if (!destination) {
      await markForwardEvents(sql, shop, events.map((event) => event.id), { status: "no_destination", error: null, at: now() });
      result.noDestination += events.length;
      continue;
    }
    const outcome = await forwardToDestination(runtime, shop, destination, events, now, fetchImpl);
    result.sent += outcome.sent;
    result.failed += outcome.failed;
    if (outcome.retryReason) {
      result.retry.push(destination.platform);
      retryReasons.push(outcome.retryReason);
    }
  }
  logger.info({ shop, sent: result.sent, failed: result.failed, noDestination: result.noDestination, retry: result.retry }, "pixel events forwarded");
  if (retryReasons.length > 0) throw new ForwardRetryError(shop, retryReasons);
  return result;
}

interface DestinationOutcome {
  sent: number;
  failed: number;
  retryReason: string | null;
}

async function forwardToDestination(
  runtime: Runtime,
  shop: string,
  destination: PixelDestinationRow,
  events: PendingForwardEvent[],
  now: () => Date,
  fetchImpl: typeof fetch,
): Promise<DestinationOutcome> {
  const sql = runtime.db.sql;
  const outcome: DestinationOutcome = { sent: 0, failed: 0, retryReason: null };
  const fail = async (ids: string[], error: string) => {
    await markForwardEvents(sql, shop, ids, { status: "failed", error, at: now() });
    outcome.failed += ids.length;
  };

  if (destination.status === "reconnect") {
    await fail(events.map((event) => event.id), `the ${destination.platform} connection needs a new access token`);
    return outcome;
  }
  // Meta rejects a whole batch holding an event older than 7 days; such events were stored before the shop connected.
  const cutoff = now().getTime() - MAX_SERVER_EVENT_AGE_MS;
  const stale = events.filter((event) => (event.eventTime ?? event.receivedAt).getTime() < cutoff);
  const fresh = events.filter((event) => (event.eventTime ?? event.receivedAt).getTime() >= cutoff);
  if (stale.length > 0) await fail(stale.map((event) => event.id), "older than 7 days when the connection could send it");

  let token: string;
  try {
    token = decryptSecret(keyringFor(runtime.env), destination.tokenCiphertext);
  } catch (error) {
    const reason = `the stored access token cannot be read (${(error as Error).message}); save the token again`;
    await fail(fresh.map((event) => event.id), reason);
    await recordDestinationAttempt(sql, shop, destination.platform, { at: now(), error: reason, reconnect: true });
    return outcome;
  }

  const forwardable = fresh.map(toForwardable);
  const requests = destination.platform === "meta" ? metaRequests(destination, forwardable, token) : tiktokRequests(destination, forwardable, token);
  let offset = 0;
  for (const request of requests) {
    const ids = fresh.slice(offset, offset + request.count).map((event) => event.id);
    offset += request.count;
    const verdict = scrub(await send(fetchImpl, request, destination.platform), token);
    if (verdict.kind === "ok") {
      await markForwardEvents(sql, shop, ids, { status: "sent", error: null, at: now() });
      await recordDestinationAttempt(sql, shop, destination.platform, { at: now(), error: null, reconnect: false });
      outcome.sent += ids.length;
      continue;
    }
    await recordDestinationAttempt(sql, shop, destination.platform, { at: now(), error: verdict.reason, reconnect: verdict.kind === "reconnect" });
    if (verdict.kind === "retry") {
      // The rest of this platform's events stay pending for the retry.
      outcome.retryReason = verdict.reason;
      return outcome;
    }
    if (verdict.kind === "reconnect") {
      await fail(fresh.slice(offset - request.count).map((event) => event.id), verdict.reason);
      return outcome;
    }
    await fail(ids, verdict.reason);
  }
  return outcome;
}

function toForwardable(event: PendingForwardEvent): ForwardableEvent {
  return {
    eventName: event.eventName,
    // The repository only returns events whose decision was forward/forward_limited, which requires an id.
    eventId: event.eventId ?? "",
    eventTime: event.eventTime ?? event.receivedAt,
    url: event.url,
    params: event.params,
    limited: event.forwarding === "forward_limited",
  };
}

interface PlatformRequest {
  url: string;
  headers: Record<string, string>;
  body: unknown;
  count: number;
}

function metaRequests(destination: PixelDestinationRow, events: ForwardableEvent[], token: string): PlatformRequest[] {
  const url = `${META_GRAPH_ORIGIN}/${META_GRAPH_VERSION}/${encodeURIComponent(destination.pixelId)}/events`;
  // The token travels in the body, not the query string, so it never appears in a URL that proxies log.
  return metaEventsBodies(events, destination.testEventCode).map((body) => ({
    url,
    headers: { "content-type": "application/json" },
    body: { ...body, access_token: token },
    count: body.data.length,
  }));
}

function tiktokRequests(destination: PixelDestinationRow, events: ForwardableEvent[], token: string): PlatformRequest[] {
  return tiktokEventsBodies(events, destination.pixelId, destination.testEventCode).map((body) => ({
    url: TIKTOK_EVENTS_URL,
    headers: { "content-type": "application/json", "Access-Token": token },
    body,
    count: body.data.length,
  }));
}

async function send(fetchImpl: typeof fetch, request: PlatformRequest, platform: DestinationPlatform): Promise<SendVerdict> {
  let response: Response;
  try {
    response = await fetchImpl(request.url, { method: "POST", headers: request.headers, body: JSON.stringify(request.body), signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
  } catch (error) {
    return { kind: "retry", reason: `${platform === "meta" ? "Meta" : "TikTok"} could not be reached: ${(error as Error).name}` };
  }
  const body: unknown = await response.json().catch(() => null);
  return platform === "meta" ? metaVerdict(response.status, body) : tiktokVerdict(response.status, body);
}

/** A platform could echo what it was sent; the token never leaves this module. */
function scrub(verdict: SendVerdict, token: string): SendVerdict {
  if (verdict.kind === "ok") return verdict;
  return { ...verdict, reason: scrubSecrets(verdict.reason, [token]) };
}

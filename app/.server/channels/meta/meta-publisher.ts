import type { Diagnostic } from "~/domain/channels/types";
import {
  chunkBatchRequests,
  isMetaBatchFinished,
  isMetaProductRejected,
  metaBatchRequest,
  metaInvalidIds,
  MetaBatchResponseSchema,
  MetaBatchStatusResponseSchema,
  MetaProductsPageSchema,
  metaVerdictDiagnostics,
  META_MAX_REQUESTS_PER_CALL,
  META_TRANSIENT_WAIT_MS,
  type MetaBatchRequest,
  type MetaBatchStatus,
  type MetaErrorClass,
  type MetaItemLookup,
  type MetaProductStatus,
} from "~/domain/publishing/meta-batch";
import {
  ReconnectError,
  RetryLaterError,
  type ChannelPublisher,
  type DueItem,
  type ItemOutcome,
  type MetaConnection,
  type PublishContext,
  type ReadBackEntry,
} from "../publisher";
import { scrubSecrets } from "../../security/scrub";
import { classifyMetaResponse, metaRequest } from "./meta-client";

/**
 * Publishes Meta catalog items through the Batch API (channels.md §1.7, wire contract "Meta"):
 * every due item becomes an UPDATE (upsert) or DELETE request; requests go out in calls of at most
 * `maxRequestsPerCall` and 28 MB, one call at a time, and each call's handle is polled until Meta
 * says "finished" (any other status means "not yet"), for at most `maxPollMs`.
 *
 * Outcomes per item:
 * - refused synchronously (`validation_status` errors) → "rejected", not ingested, no handle;
 * - named in the finished status (`errors`, `ids_of_invalid_requests`) → "rejected" with the handle;
 * - DELETE → "deleted"; everything else "live" with the handle and Meta's warnings;
 * - status not finished within `maxPollMs` → "live" with the handle: the read-back brings the verdict.
 *
 * When a call fails:
 * - retry (throttled, 5xx, timeout): if this publish produced no outcome yet, RetryLaterError(waitMs)
 *   so the engine reschedules the whole page; otherwise the outcomes already known are returned and
 *   the failing call's items and every item after it get "retry" outcomes carrying `waitMs`, so
 *   nothing Meta already applied is forgotten;
 * - reconnect (code 190): ReconnectError. Calls already applied are not reported; their items stay
 *   due and are sent again after the reconnect, which converges (Meta's upserts are idempotent);
 * - oversize (code 1 "reduce the amount of data"): the call is split in halves and each half is
 *   sent again, down to single items, which are then "dead";
 * - dead: the call's items are "dead"; a missing permission (code 10, 200-299) also ends the publish
 *   with every remaining item "dead", since every call would fail the same way.
 */
export interface MetaPublisherOptions {
  /** Requests per items_batch call (Meta accepts 5,000; it suggests under 3,000 for speed). */
  maxRequestsPerCall?: number;
  /** Waits before each status poll; the last one repeats. */
  pollDelaysMs?: number[];
  /** Total wait for one handle to finish before its items are reported "live" with the handle. */
  maxPollMs?: number;
}

export const META_POLL_DELAYS_MS = [2_000, 4_000, 8_000, 15_000, 30_000];
export const META_MAX_POLL_MS = 120_000;
/** A runaway guard when delays are tiny (tests): no handle is polled more often than this. */
const MAX_POLLS_PER_HANDLE = 200;
/** Products asked for per read-back call (filter retailer_id is_any, one page). */
export const META_READ_BACK_PAGE = 500;
/** A 28 MB upload may take a while on a slow link. */
const BATCH_TIMEOUT_MS = 120_000;
const READ_TIMEOUT_MS = 30_000;
const MAX_PAGES_PER_GROUP = 50;

type Ctx = PublishContext<MetaConnection>;

type CallResult = { kind: "done"; outcomes: ItemOutcome[] } | { kind: "failed"; failure: MetaErrorClass };

export function createMetaPublisher(options: MetaPublisherOptions = {}): ChannelPublisher<MetaConnection> {
  const maxRequests = options.maxRequestsPerCall ?? META_MAX_REQUESTS_PER_CALL;
  const pollDelays = options.pollDelaysMs && options.pollDelaysMs.length > 0 ? options.pollDelaysMs : META_POLL_DELAYS_MS;
  const maxPollMs = options.maxPollMs ?? META_MAX_POLL_MS;

  async function publish(ctx: Ctx, items: DueItem[]): Promise<ItemOutcome[]> {
    const lookup = lookupFor(ctx, items);
    const outcomes: ItemOutcome[] = [];
    const queue: MetaBatchRequest[][] = [];
    for (const chunk of chunkBatchRequests(items.map(metaBatchRequest), { maxRequests })) {
      if (chunk.oversize) outcomes.push(...deadOutcomes(chunk.requests, tooLargeReason(chunk.bytes)));
      else queue.push(chunk.requests);
    }

    for (let requests = queue.shift(); requests !== undefined; requests = queue.shift()) {
      const result = await sendBatch(ctx, requests, lookup);
      if (result.kind === "done") {
        outcomes.push(...result.outcomes);
        continue;
      }
      const failure = result.failure;
      switch (failure.kind) {
        case "oversize": {
          if (requests.length === 1) {
            outcomes.push(...deadOutcomes(requests, "the item is larger than Meta accepts in one call"));
            break;
          }
          const half = Math.ceil(requests.length / 2);
          queue.unshift(requests.slice(0, half), requests.slice(half));
          break;
        }
        case "retry": {
          if (outcomes.length === 0) throw new RetryLaterError(failure.waitMs, failure.reason);
          for (const request of [requests, ...queue].flat()) outcomes.push({ key: request.data.id, kind: "retry", reason: failure.reason, waitMs: failure.waitMs });
          return outcomes;
        }
        case "reconnect":
          throw new ReconnectError(failure.reason);
        case "dead": {
          outcomes.push(...deadOutcomes(requests, failure.reason));
          if (failure.scope === "connection") {
            outcomes.push(...deadOutcomes(queue.flat(), failure.reason));
            return outcomes;
          }
          break;
        }
      }
    }
    return outcomes;
  }

  /** One items_batch call and the polling of its handle. */
  async function sendBatch(ctx: Ctx, requests: MetaBatchRequest[], lookup: MetaItemLookup): Promise<CallResult> {
    const { catalogId, token } = ctx.connection;
    ctx.countCall();
    const response = await metaRequest(ctx.fetch, {
      method: "POST",
      path: `/${encodeURIComponent(catalogId)}/items_batch`,
      body: { item_type: "PRODUCT_ITEM", allow_upsert: true, requests },
      token,
      timeoutMs: BATCH_TIMEOUT_MS,
    });
    if (!response.ok) return { kind: "failed", failure: scrubFailure(classifyMetaResponse(response), token) };
    const parsed = MetaBatchResponseSchema.safeParse(response.data);
    if (!parsed.success) {
      // Replaying the call is harmless (upserts converge); an unreadable answer cannot be trusted.
      return { kind: "failed", failure: { kind: "retry", waitMs: META_TRANSIENT_WAIT_MS, reason: "Meta's answer to the batch could not be read" } };
    }
    const validation = parsed.data.validation_status ?? [];
    const refusedNow = new Set(validation.filter((entry) => (entry.errors?.length ?? 0) > 0).map((entry) => entry.retailer_id));
    const handle = parsed.data.handles?.[0];

    if (handle === undefined) {
      // Nothing was ingested: the items Meta listed were refused; any other item is a puzzle worth another try.
      const listed = new Set(validation.map((entry) => entry.retailer_id));
      const diagnostics = metaVerdictDiagnostics({ validationStatus: validation }, lookup);
      return {
        kind: "done",
        outcomes: requests.map((request): ItemOutcome => {
          const key = request.data.id;
          if (listed.has(key)) return { key, kind: "rejected", diagnostics: diagnostics.get(key) ?? [] };
          return { key, kind: "retry", reason: "Meta accepted the batch but ingested nothing from it (no batch handle)" };
        }),
      };
    }

    const status = await pollHandle(ctx, handle);
    const diagnostics = metaVerdictDiagnostics({ validationStatus: validation, batchStatus: status ?? undefined }, lookup);
    const refusedLater = metaInvalidIds(status ?? undefined);
    return {
      kind: "done",
      outcomes: requests.map((request): ItemOutcome => {
        const key = request.data.id;
        const found = diagnostics.get(key) ?? [];
        if (refusedNow.has(key)) return { key, kind: "rejected", diagnostics: found };
        if (refusedLater.has(key)) return { key, kind: "rejected", handle, diagnostics: found };
        if (request.method === "DELETE") return { key, kind: "deleted" };
        return { key, kind: "live", handle, diagnostics: found.filter((diagnostic) => diagnostic.severity === "warning") };
      }),
    };
  }

  /** The finished status of a handle, or null when it did not finish in time or could not be read. */
  async function pollHandle(ctx: Ctx, handle: string): Promise<MetaBatchStatus | null> {
    const { catalogId, token } = ctx.connection;
    let waited = 0;
    let extraWait = 0;
    for (let poll = 0; poll < MAX_POLLS_PER_HANDLE; poll += 1) {
      const delay = Math.max(pollDelays[Math.min(poll, pollDelays.length - 1)] ?? 0, extraWait);
      if (waited + delay > maxPollMs) return null;
      await ctx.sleep(delay);
      waited += delay;
      extraWait = 0;
      ctx.countCall();
      const response = await metaRequest(ctx.fetch, {
        method: "GET",
        path: `/${encodeURIComponent(catalogId)}/check_batch_request_status`,
        query: { handle },
        token,
        timeoutMs: READ_TIMEOUT_MS,
      });
      if (!response.ok) {
        const failure = scrubFailure(classifyMetaResponse(response), token);
        if (failure.kind === "reconnect") throw new ReconnectError(failure.reason);
        if (failure.kind !== "retry") return null;
        // Throttled while polling: wait as long as Meta asks before the next look (if the budget allows).
        extraWait = failure.waitMs;
        continue;
      }
      const parsed = MetaBatchStatusResponseSchema.safeParse(response.data);
      const entries = parsed.success ? (parsed.data.data ?? []) : [];
      const entry = entries.find((candidate) => candidate.handle === handle) ?? entries[0];
      if (isMetaBatchFinished(entry)) return entry ?? null;
    }
    return null;
  }

  async function readBack(ctx: Ctx, items: { key: string; productId: string; itemIds: string[]; remoteId: string | null }[]): Promise<ReadBackEntry[]> {
    const { catalogId, token } = ctx.connection;
    const lookup = lookupFor(ctx, items);
    const keys = [...new Set(items.map((item) => item.key))];
    const entries: ReadBackEntry[] = [];

    for (let start = 0; start < keys.length; start += META_READ_BACK_PAGE) {
      const group = keys.slice(start, start + META_READ_BACK_PAGE);
      const wanted = new Set(group);
      const products = new Map<string, MetaProductStatus>();
      let after: string | undefined;
      for (let page = 0; page < MAX_PAGES_PER_GROUP; page += 1) {
        ctx.countCall();
        const response = await metaRequest(ctx.fetch, {
          method: "GET",
          path: `/${encodeURIComponent(catalogId)}/products`,
          query: { fields: "retailer_id,review_status,errors", filter: JSON.stringify({ retailer_id: { is_any: group } }), limit: META_READ_BACK_PAGE, after },
          token,
          timeoutMs: READ_TIMEOUT_MS,
        });
        if (!response.ok) {
          const failure = scrubFailure(classifyMetaResponse(response), token);
          if (failure.kind === "reconnect") throw new ReconnectError(failure.reason);
          // Groups read completely are still worth recording; a half-read group is not ("missing" would be a guess).
          if (failure.kind === "retry") {
            if (entries.length > 0) return entries;
            throw new RetryLaterError(failure.waitMs, failure.reason);
          }
          throw new Error(`Meta read-back failed: ${failure.reason}`);
        }
        const parsed = MetaProductsPageSchema.safeParse(response.data);
        const data = parsed.success ? parsed.data : { data: [], paging: undefined };
        for (const product of data.data ?? []) if (wanted.has(product.retailer_id)) products.set(product.retailer_id, product);
        const next = data.paging?.cursors?.after;
        if (!data.paging?.next || !next || next === after || (data.data ?? []).length === 0) break;
        after = next;
      }
      const diagnostics = metaVerdictDiagnostics({ products: [...products.values()] }, lookup);
      for (const key of group) {
        const product = products.get(key);
        if (!product) {
          entries.push({ key, state: "missing", diagnostics: [] });
          continue;
        }
        const found = diagnostics.get(key) ?? [];
        if (isMetaProductRejected(product)) entries.push({ key, state: "rejected", diagnostics: found });
        else entries.push({ key, state: "live", diagnostics: found.filter((diagnostic: Diagnostic) => diagnostic.severity === "warning") });
      }
    }
    return entries;
  }

  return { channel: "meta", publish, readBack };
}

/**
 * Who an item is in Shopify terms. The outbox row knows the product and the item id but not the
 * variant GID, so variant-level fix links fall back to the product.
 */
function lookupFor(ctx: Ctx, items: readonly { key: string; productId: string; itemIds: string[] }[]): MetaItemLookup {
  const byKey = new Map(items.map((item) => [item.key, item]));
  return (retailerId) => {
    const item = byKey.get(retailerId);
    if (!item) return null;
    return { productId: item.productId, variantId: null, itemId: item.itemIds[0] ?? item.key, market: ctx.market };
  };
}

function deadOutcomes(requests: readonly MetaBatchRequest[], reason: string): ItemOutcome[] {
  return requests.map((request) => ({ key: request.data.id, kind: "dead", reason }));
}

function tooLargeReason(bytes: number): string {
  return `the item is larger than Meta accepts (${(bytes / (1024 * 1024)).toFixed(1)} MB; one call takes at most 28 MB)`;
}

/** Meta's texts are scrubbed by the client already; this keeps the promise even for reasons built here. */
function scrubFailure(failure: MetaErrorClass, token: string): MetaErrorClass {
  return { ...failure, reason: scrubSecrets(failure.reason, [token]) };
}

import { ClientError, GraphQLClient } from "graphql-request";

/**
 * The Admin GraphQL client for background work (full syncs, webhook-driven refreshes): one shop,
 * its offline token, and Shopify's per app × shop leaky bucket (shopify-platform.md A2).
 *
 * - Every answer's `extensions.cost.throttleStatus` is remembered, and so is each operation's
 *   (highest) `requestedQueryCost`. Before sending, if the bucket (projected forward at
 *   `restoreRate` since the last answer) holds less than the operation is expected to cost, the
 *   client waits for the difference instead of spending a request on a sure THROTTLED.
 * - THROTTLED (HTTP 200) and HTTP 429: wait until the bucket holds the requested cost (or
 *   `Retry-After`), plus jitter, and send the same request again.
 * - 5xx, network failures and timeouts: exponential backoff with full jitter (1, 2, 4 … s, capped).
 * - Other 4xx and GraphQL errors: thrown at once, naming the operation; retrying cannot help.
 * All retries together stay within `maxAttempts`. The access token goes into the request header
 * and nowhere else: no message or error built here contains it.
 */

export interface ThrottleStatus {
  maximumAvailable: number;
  currentlyAvailable: number;
  restoreRate: number;
}

export interface AdminApi {
  shop: string;
  /** Sends `document`; `operationName` names it in errors and keys its remembered cost. */
  request<T>(operationName: string, document: string, variables?: Record<string, unknown>): Promise<T>;
  /** The bucket as Shopify last reported it, or null before the first answer. */
  lastThrottleStatus(): ThrottleStatus | null;
}

export interface AdminApiOptions {
  shop: string;
  accessToken: string;
  apiVersion: string;
  fetch?: typeof fetch;
  /** Injected so tests never really wait. */
  sleep?: (ms: number) => Promise<void>;
  /** Injected so tests get exact jitter. */
  random?: () => number;
  /** Epoch milliseconds; lets the client credit the refill since the last answer. */
  now?: () => number;
  /** Attempts per request, first one included. */
  maxAttempts?: number;
  timeoutMs?: number;
  /** Called before every wait that is due to the rate limit (not before 5xx/network backoff). */
  onThrottle?: (waitMs: number, status: ThrottleStatus | null) => void;
}

export type AdminApiErrorKind = "throttled" | "http" | "graphql" | "network" | "timeout";

export class AdminApiError extends Error {
  readonly kind: AdminApiErrorKind;
  readonly status?: number;
  readonly operationName: string;

  constructor(kind: AdminApiErrorKind, operationName: string, detail: string, options: { status?: number; cause?: unknown } = {}) {
    super(`${operationName}: ${detail}`, { cause: options.cause });
    this.name = "AdminApiError";
    this.kind = kind;
    this.operationName = operationName;
    if (options.status !== undefined) this.status = options.status;
  }
}

const DEFAULT_MAX_ATTEMPTS = 6;
const DEFAULT_TIMEOUT_MS = 30_000;
/** Expected cost of an operation Shopify has not priced for us yet. */
const DEFAULT_EXPECTED_COST = 50;
const BACKOFF_BASE_MS = 1_000;
const BACKOFF_CAP_MS = 30_000;
/** Spreads retries of workers that were throttled together. */
const THROTTLE_JITTER_MS = 500;
/** Wait when Shopify throttles without saying by how much. */
const THROTTLE_FALLBACK_MS = 1_000;
/** Enough of an error body to identify it; bodies can be whole HTML pages. */
const MAX_DETAIL_CHARS = 300;

interface CostExtension {
  requestedQueryCost?: number;
  actualQueryCost?: number | null;
  throttleStatus?: ThrottleStatus;
}

interface GraphqlErrorShape {
  message?: string;
  extensions?: { code?: string };
}

/** One attempt, classified by what the client does next. */
type AttemptResult =
  | { outcome: "ok"; data: unknown }
  | { outcome: "throttled"; waitMs: number; detail: string }
  | { outcome: "retry"; kind: "http" | "network" | "timeout"; detail: string; status?: number; cause?: unknown }
  | { outcome: "fail"; error: AdminApiError };

function defaultSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function isThrottleStatus(value: unknown): value is ThrottleStatus {
  const status = value as Partial<ThrottleStatus> | null;
  return typeof status?.maximumAvailable === "number" && typeof status.currentlyAvailable === "number" && typeof status.restoreRate === "number";
}

function costOf(extensions: unknown): CostExtension | null {
  const cost = (extensions as { cost?: unknown } | null | undefined)?.cost;
  return cost && typeof cost === "object" ? (cost as CostExtension) : null;
}

function isTimeout(error: unknown): boolean {
  const name = (error as { name?: unknown } | null)?.name;
  return name === "TimeoutError" || name === "AbortError";
}

function truncate(text: string): string {
  return text.length > MAX_DETAIL_CHARS ? `${text.slice(0, MAX_DETAIL_CHARS)}…` : text;
}

/** Shopify's REST-style error bodies (`{"errors":"[API] Invalid API key…"}`) or the raw text. */
function describeBody(body: string): string {
  try {
    const errors = (JSON.parse(body) as { errors?: unknown }).errors;
    if (typeof errors === "string") return truncate(errors);
    if (Array.isArray(errors)) return truncate(errors.map((e: GraphqlErrorShape) => e.message ?? JSON.stringify(e)).join("; "));
    return truncate(JSON.stringify(errors ?? body));
  } catch {
    return truncate(body.trim());
  }
}

/** `Retry-After` as milliseconds: delta-seconds ("2.0") or an HTTP date. */
function retryAfterMs(headers: Headers, nowMs: number): number | null {
  const value = headers.get("retry-after");
  if (!value) return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - nowMs);
}

export function createAdminApi(options: AdminApiOptions): AdminApi {
  const { shop, accessToken, apiVersion } = options;
  const sleep = options.sleep ?? defaultSleep;
  const random = options.random ?? Math.random;
  const now = options.now ?? Date.now;
  const maxAttempts = Math.max(1, options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;

  const client = new GraphQLClient(`https://${shop}/admin/api/${apiVersion}/graphql.json`, {
    headers: { "X-Shopify-Access-Token": accessToken },
    // Looked up per call: test setups install their interceptor on globalThis.fetch after import.
    fetch: (input, init) => (options.fetch ?? globalThis.fetch)(input, init),
    // Errors come back as values so that THROTTLED can be told from real errors, with extensions.
    errorPolicy: "all",
  });

  let observed: { status: ThrottleStatus; atMs: number } | null = null;
  const requestedCostByOperation = new Map<string, number>();

  function remember(operationName: string, extensions: unknown): CostExtension | null {
    const cost = costOf(extensions);
    if (isThrottleStatus(cost?.throttleStatus)) observed = { status: { ...cost.throttleStatus }, atMs: now() };
    // The highest seen: an operation's cost depends on its variables (page sizes), and expecting
    // the cheaper variant would earn a THROTTLED round trip for the dearer one.
    const requested = cost?.requestedQueryCost;
    if (typeof requested === "number") requestedCostByOperation.set(operationName, Math.max(requested, requestedCostByOperation.get(operationName) ?? 0));
    return cost;
  }

  /** What the bucket holds now: the last report plus the refill since, capped at its size. */
  function projectedAvailable(): number | null {
    if (!observed) return null;
    const { status, atMs } = observed;
    const refill = (Math.max(0, now() - atMs) * status.restoreRate) / 1000; // multiply first: exact for whole ms
    return Math.min(status.maximumAvailable, status.currentlyAvailable + refill);
  }

  function preemptiveWaitMs(operationName: string): number {
    const available = projectedAvailable();
    if (available === null || !observed || observed.status.restoreRate <= 0) return 0;
    // A query can never need more than a full bucket; asking for more would wait forever.
    const expected = Math.min(requestedCostByOperation.get(operationName) ?? DEFAULT_EXPECTED_COST, observed.status.maximumAvailable);
    return available >= expected ? 0 : Math.ceil(((expected - available) / observed.status.restoreRate) * 1000);
  }

  /** Time until the bucket holds the requested cost, per Shopify's THROTTLED answer. */
  function deficitMs(cost: CostExtension | null): number {
    const status = cost?.throttleStatus;
    const requested = cost?.requestedQueryCost;
    const deficit =
      isThrottleStatus(status) && typeof requested === "number" && status.restoreRate > 0
        ? ((requested - status.currentlyAvailable) / status.restoreRate) * 1000
        : 0;
    return deficit > 0 ? deficit : THROTTLE_FALLBACK_MS;
  }

  function withJitter(waitMs: number): number {
    return Math.ceil(waitMs + random() * THROTTLE_JITTER_MS);
  }

  function backoffMs(attempt: number): number {
    return Math.ceil(random() * Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** (attempt - 1)));
  }

  function classifyHttpError(operationName: string, error: ClientError): AttemptResult {
    const { status, headers, body } = error.response;
    const cost = remember(operationName, error.response.extensions);
    const detail = `HTTP ${status}${body ? ` (${describeBody(body)})` : ""}`;
    if (status === 429) return { outcome: "throttled", waitMs: withJitter(retryAfterMs(headers, now()) ?? deficitMs(cost)), detail };
    if (status >= 500) return { outcome: "retry", kind: "http", status, detail };
    return { outcome: "fail", error: new AdminApiError("http", operationName, detail, { status }) };
  }

  async function attemptOnce(operationName: string, document: string, variables?: Record<string, unknown>): Promise<AttemptResult> {
    let response: Awaited<ReturnType<GraphQLClient["rawRequest"]>>;
    try {
      response = await client.rawRequest({ query: document, variables, signal: AbortSignal.timeout(timeoutMs) });
    } catch (error) {
      if (error instanceof ClientError) return classifyHttpError(operationName, error);
      if (isTimeout(error)) return { outcome: "retry", kind: "timeout", detail: `no answer within ${timeoutMs} ms`, cause: error };
      // fetch reports refused connections, resets and DNS failures as TypeError.
      if (error instanceof TypeError) return { outcome: "retry", kind: "network", detail: `network error (${error.message})`, cause: error };
      return { outcome: "fail", error: new AdminApiError("http", operationName, `unreadable response (${(error as Error).message})`, { cause: error }) };
    }
    const cost = remember(operationName, response.extensions);
    const errors = (response.errors ?? []) as GraphqlErrorShape[];
    if (errors.some((e) => e.extensions?.code === "THROTTLED")) return { outcome: "throttled", waitMs: withJitter(deficitMs(cost)), detail: "THROTTLED" };
    if (errors.length > 0) {
      const messages = errors.map((e) => (e.extensions?.code ? `${e.message} (${e.extensions.code})` : (e.message ?? "unknown error"))).join("; ");
      return { outcome: "fail", error: new AdminApiError("graphql", operationName, truncate(messages), { status: response.status }) };
    }
    if (response.data === undefined || response.data === null) {
      return { outcome: "fail", error: new AdminApiError("graphql", operationName, "the response had no data", { status: response.status }) };
    }
    return { outcome: "ok", data: response.data };
  }

  async function request<T>(operationName: string, document: string, variables?: Record<string, unknown>): Promise<T> {
    // A retry after a THROTTLED wait has already waited what Shopify said was missing.
    let waitedForBucket = false;
    for (let attempt = 1; ; attempt += 1) {
      const budgetWait = waitedForBucket ? 0 : preemptiveWaitMs(operationName);
      if (budgetWait > 0) {
        options.onThrottle?.(budgetWait, observed?.status ?? null);
        await sleep(budgetWait);
      }
      const result = await attemptOnce(operationName, document, variables);
      if (result.outcome === "ok") return result.data as T;
      if (result.outcome === "fail") throw result.error;
      if (attempt >= maxAttempts) {
        const kind = result.outcome === "throttled" ? "throttled" : result.kind;
        const status = result.outcome === "retry" ? result.status : undefined;
        const cause = result.outcome === "retry" ? result.cause : undefined;
        throw new AdminApiError(kind, operationName, `gave up after ${attempt} attempts; last: ${result.detail}`, { status, cause });
      }
      waitedForBucket = result.outcome === "throttled";
      if (result.outcome === "throttled") {
        options.onThrottle?.(result.waitMs, observed?.status ?? null);
        await sleep(result.waitMs);
      } else {
        await sleep(backoffMs(attempt));
      }
    }
  }

  return {
    shop,
    request,
    lastThrottleStatus: () => (observed ? { ...observed.status } : null),
  };
}

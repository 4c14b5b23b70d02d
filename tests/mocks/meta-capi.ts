import { HttpResponse, http } from "msw";

/**
 * Meta's Conversions API (`POST https://graph.facebook.com/{version}/{pixel_id}/events`) as this
 * machine cannot reach it. Faithful to what Shelfcast relies on:
 * - the access token comes as the `access_token` parameter (body or query); a wrong one is an
 *   OAuthException with code 190;
 * - `data` holds 1 to 1,000 events, each with event_name, an integer event_time (seconds) no more than
 *   7 days old, action_source, event_source_url for website events, and a user_data object; LDU
 *   options need a numeric country and state; a bad event fails the whole request with code 100;
 * - success answers `{events_received, messages, fbtrace_id}`.
 * `failNext` makes the next requests fail (5xx, rate limits) for retry tests.
 */
export interface MetaCapiRequest {
  pixelId: string;
  version: string;
  body: Record<string, unknown>;
}

export interface MetaCapiFake {
  pixelId: string;
  token: string;
  requests: MetaCapiRequest[];
  /** Answers the next requests with these, in order, before behaving normally again. */
  failNext(...answers: { status: number; code?: number; message?: string }[]): void;
}

const MAX_EVENTS = 1_000;
const MAX_AGE_SECONDS = 7 * 24 * 60 * 60;

function fbtrace(): string {
  return `A${Math.random().toString(36).slice(2, 12)}`;
}

function graphError(status: number, code: number, message: string, type = "OAuthException") {
  return HttpResponse.json({ error: { message, type, code, fbtrace_id: fbtrace() } }, { status });
}

/** The first problem with one server event, as Meta words it, or null. */
function eventProblem(event: unknown, index: number, nowSeconds: number): string | null {
  if (typeof event !== "object" || event === null) return `data[${index}] must be an object`;
  const e = event as Record<string, unknown>;
  if (typeof e.event_name !== "string" || e.event_name === "") return `The parameter event_name is required (data[${index}])`;
  if (!Number.isInteger(e.event_time)) return `The parameter event_time must be a Unix timestamp in seconds (data[${index}])`;
  if ((e.event_time as number) < nowSeconds - MAX_AGE_SECONDS) return `event_time is more than 7 days in the past (data[${index}])`;
  if ((e.event_time as number) > nowSeconds + 60) return `event_time is in the future (data[${index}])`;
  if (typeof e.action_source !== "string") return `The parameter action_source is required (data[${index}])`;
  if (e.action_source === "website" && typeof e.event_source_url !== "string") return `event_source_url is required for website events (data[${index}])`;
  if (typeof e.user_data !== "object" || e.user_data === null) return `The parameter user_data is required (data[${index}])`;
  if (e.custom_data !== undefined && (typeof e.custom_data !== "object" || e.custom_data === null)) return `custom_data must be an object (data[${index}])`;
  if (e.data_processing_options !== undefined) {
    if (!Array.isArray(e.data_processing_options)) return `data_processing_options must be an array (data[${index}])`;
    if (e.data_processing_options.includes("LDU") && (typeof e.data_processing_options_country !== "number" || typeof e.data_processing_options_state !== "number")) {
      return `LDU needs data_processing_options_country and data_processing_options_state (data[${index}])`;
    }
  }
  return null;
}

export function metaCapiFake(options: { pixelId: string; token: string }): { fake: MetaCapiFake; handlers: ReturnType<typeof http.post>[] } {
  const failures: { status: number; code?: number; message?: string }[] = [];
  const fake: MetaCapiFake = {
    ...options,
    requests: [],
    failNext: (...answers) => failures.push(...answers),
  };
  const handler = http.post("https://graph.facebook.com/:version/:pixelId/events", async ({ request, params }) => {
    const failure = failures.shift();
    if (failure) return graphError(failure.status, failure.code ?? 2, failure.message ?? "Service temporarily unavailable");
    let body: Record<string, unknown>;
    try {
      body = (await request.json()) as Record<string, unknown>;
    } catch {
      return graphError(400, 100, "Invalid parameter: the body is not JSON");
    }
    const token = (body.access_token as string | undefined) ?? new URL(request.url).searchParams.get("access_token");
    if (!token) return graphError(400, 2500, "An active access token must be used to query information about the current user.");
    if (token !== fake.token) return graphError(401, 190, "Invalid OAuth access token - Cannot parse access token");
    if (params.pixelId !== fake.pixelId) return graphError(400, 100, `Unsupported post request. Object with ID '${String(params.pixelId)}' does not exist`, "GraphMethodException");
    const data = body.data;
    if (!Array.isArray(data) || data.length === 0) return graphError(400, 100, "Invalid parameter: data must be a non-empty array");
    if (data.length > MAX_EVENTS) return graphError(400, 100, `Invalid parameter: at most ${MAX_EVENTS} events per request`);
    const nowSeconds = Math.floor(Date.now() / 1000);
    for (const [index, event] of data.entries()) {
      const problem = eventProblem(event, index, nowSeconds);
      if (problem) return graphError(400, 100, `Invalid parameter: ${problem}`);
    }
    fake.requests.push({ pixelId: String(params.pixelId), version: String(params.version), body });
    return HttpResponse.json({ events_received: data.length, messages: [], fbtrace_id: fbtrace() });
  });
  return { fake, handlers: [handler] };
}

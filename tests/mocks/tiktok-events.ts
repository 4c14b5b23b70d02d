import { HttpResponse, http } from "msw";

/**
 * TikTok's Events API 2.0 (`POST https://business-api.tiktok.com/open_api/v1.3/event/track/`) as this
 * machine cannot reach it. The Business API answers HTTP 200 with `{code, message, request_id}`:
 * `code` 0 is success, non-zero is an error. Faithful to what Shelfcast relies on:
 * - the token comes in the `Access-Token` header; a missing or wrong one is code 40105 (HTTP 401 when
 *   absent); these codes are from secondary sources (see server-payloads.ts);
 * - the body needs event_source "web", event_source_id (the pixel code) and 1 to 1,000 events with
 *   `event` and an integer `event_time`; a bad body is code 40002;
 * `failNext` makes the next requests fail (HTTP 5xx, code 40100 rate limit) for retry tests.
 */
export interface TikTokEventsRequest {
  body: Record<string, unknown>;
}

export interface TikTokEventsFake {
  pixelCode: string;
  token: string;
  requests: TikTokEventsRequest[];
  failNext(...answers: ({ status: number } | { code: number; message: string })[]): void;
}

const MAX_EVENTS = 1_000;

function answer(code: number, message: string, status = 200) {
  return HttpResponse.json({ code, message, request_id: `req-${Math.random().toString(36).slice(2, 12)}`, data: {} }, { status });
}

function bodyProblem(body: Record<string, unknown>, pixelCode: string): string | null {
  if (body.event_source !== "web") return "event_source: must be one of web, app, offline, crm";
  if (typeof body.event_source_id !== "string" || body.event_source_id === "") return "event_source_id: Missing data for required field.";
  if (body.event_source_id !== pixelCode) return `event_source_id: pixel ${body.event_source_id} does not exist or is not accessible`;
  const data = body.data;
  if (!Array.isArray(data) || data.length === 0) return "data: Missing data for required field.";
  if (data.length > MAX_EVENTS) return `data: at most ${MAX_EVENTS} events`;
  for (const [index, event] of data.entries()) {
    if (typeof event !== "object" || event === null) return `data.${index}: must be an object`;
    const e = event as Record<string, unknown>;
    if (typeof e.event !== "string" || e.event === "") return `data.${index}.event: Missing data for required field.`;
    if (!Number.isInteger(e.event_time)) return `data.${index}.event_time: Not a valid integer.`;
    if (e.limited_data_use !== undefined && typeof e.limited_data_use !== "boolean") return `data.${index}.limited_data_use: Not a valid boolean.`;
    if (e.properties !== undefined && (typeof e.properties !== "object" || e.properties === null)) return `data.${index}.properties: Not a valid mapping type.`;
  }
  return null;
}

export function tiktokEventsFake(options: { pixelCode: string; token: string }): { fake: TikTokEventsFake; handlers: ReturnType<typeof http.post>[] } {
  const failures: ({ status: number } | { code: number; message: string })[] = [];
  const fake: TikTokEventsFake = { ...options, requests: [], failNext: (...answers) => failures.push(...answers) };
  const handler = http.post("https://business-api.tiktok.com/open_api/v1.3/event/track/", async ({ request }) => {
    const failure = failures.shift();
    if (failure) return "status" in failure ? answer(51000, "Internal error", failure.status) : answer(failure.code, failure.message);
    const token = request.headers.get("Access-Token");
    if (!token) return answer(40105, "Access token is null, please check your request.", 401);
    if (token !== fake.token) return answer(40105, "The access token is invalid or has been revoked.");
    let body: Record<string, unknown>;
    try {
      body = (await request.json()) as Record<string, unknown>;
    } catch {
      return answer(40002, "The request body is not valid JSON.");
    }
    const problem = bodyProblem(body, fake.pixelCode);
    if (problem) return answer(40002, problem);
    fake.requests.push({ body });
    return answer(0, "OK");
  });
  return { fake, handlers: [handler] };
}

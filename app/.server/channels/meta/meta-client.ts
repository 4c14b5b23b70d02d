import { classifyMetaError, type MetaErrorClass } from "~/domain/publishing/meta-batch";
import { META_GRAPH_ORIGIN, META_GRAPH_VERSION } from "./graph";
import { scrubSecrets, scrubSecretsDeep } from "../../security/scrub";

/**
 * A small Meta Graph API client for the catalog calls. The access token travels in the JSON body of a
 * POST and in the query of a GET (wire contract); it never appears in what this module returns: Meta
 * may echo a request back in an error, so every answer is scrubbed before it leaves.
 *
 * Expected failures are values: an HTTP error, a Graph error object, a network error or a timeout
 * (status 0) all come back as `{ok: false}`; `classifyMetaResponse` says what to do about them.
 */
export interface MetaRequestOptions {
  method: "GET" | "POST" | "DELETE";
  /** Path after the version, starting with "/": `/${catalogId}/items_batch`. Callers encode ids. */
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  /** JSON body for POST/DELETE; access_token is added. */
  body?: Record<string, unknown>;
  token: string;
  timeoutMs?: number;
}

export interface MetaGraphError {
  message: string;
  type: string | null;
  code: number | null;
  subcode: number | null;
  fbtraceId: string | null;
}

export type MetaResponse<T = unknown> =
  | { ok: true; status: number; data: T; headers: Headers }
  /** `body` is Meta's answer (scrubbed), null when it was not JSON or nothing came back. */
  | { ok: false; status: number; error: MetaGraphError; body: unknown; headers: Headers };

export const META_DEFAULT_TIMEOUT_MS = 30_000;

export async function metaRequest<T = unknown>(fetchImpl: typeof fetch, options: MetaRequestOptions): Promise<MetaResponse<T>> {
  const url = new URL(`${META_GRAPH_ORIGIN}/${META_GRAPH_VERSION}${options.path}`);
  for (const [name, value] of Object.entries(options.query ?? {})) if (value !== undefined) url.searchParams.set(name, String(value));
  const init: RequestInit = { method: options.method, signal: AbortSignal.timeout(options.timeoutMs ?? META_DEFAULT_TIMEOUT_MS) };
  if (options.method === "GET") {
    url.searchParams.set("access_token", options.token);
  } else {
    init.headers = { "content-type": "application/json" };
    init.body = JSON.stringify({ ...options.body, access_token: options.token });
  }

  let response: Response;
  let text: string;
  try {
    response = await fetchImpl(url, init);
    text = await response.text();
  } catch (error) {
    const name = error instanceof Error ? error.name : "Error";
    const timeoutMs = options.timeoutMs ?? META_DEFAULT_TIMEOUT_MS;
    const limit = timeoutMs >= 1_000 ? `${Math.round(timeoutMs / 1_000)} s` : `${timeoutMs} ms`;
    const why = name === "TimeoutError" || name === "AbortError" ? `no answer within ${limit}` : name;
    const message = scrubSecrets(`Meta could not be reached (${why})`, [options.token]);
    return { ok: false, status: 0, error: emptyError(message), body: { error: { message } }, headers: new Headers() };
  }

  const body = scrubSecretsDeep(parseJson(text), [options.token]);
  const graphError = readGraphError(body);
  if (response.ok && body !== null && graphError === null) return { ok: true, status: response.status, data: body as T, headers: response.headers };
  return {
    ok: false,
    status: response.status,
    error: graphError ?? emptyError(body === null ? `Meta answered HTTP ${response.status} without a JSON body` : `Meta answered HTTP ${response.status}`),
    body,
    headers: response.headers,
  };
}

/** What to do about a failed answer (retry, reconnect, dead, oversize). */
export function classifyMetaResponse(response: Extract<MetaResponse, { ok: false }>): MetaErrorClass {
  return classifyMetaError(response.status, response.body ?? { error: { message: response.error.message } }, response.headers);
}

function parseJson(text: string): unknown {
  if (text.trim() === "") return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

function readGraphError(body: unknown): MetaGraphError | null {
  if (typeof body !== "object" || body === null || !("error" in body)) return null;
  const error = (body as { error?: unknown }).error;
  if (typeof error !== "object" || error === null) return emptyError("Meta answered with an error");
  const fields = error as Record<string, unknown>;
  const number = (value: unknown) => (typeof value === "number" && Number.isFinite(value) ? value : null);
  return {
    message: typeof fields.message === "string" ? fields.message : "Meta answered with an error",
    type: typeof fields.type === "string" ? fields.type : null,
    code: number(fields.code),
    subcode: number(fields.error_subcode),
    fbtraceId: typeof fields.fbtrace_id === "string" ? fields.fbtrace_id : null,
  };
}

function emptyError(message: string): MetaGraphError {
  return { message, type: null, code: null, subcode: null, fbtraceId: null };
}

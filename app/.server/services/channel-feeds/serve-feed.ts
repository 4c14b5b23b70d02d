import { getBuild, findFeedByToken, readBuildChunk } from "../../repositories/channel-feeds";
import type { Runtime } from "../../runtime";
import { isWellFormedFeedToken } from "./feed-tokens";

const CONTENT_TYPES: Record<string, string> = {
  csv: "text/csv; charset=utf-8",
  tsv: "text/tab-separated-values; charset=utf-8",
  xml: "application/xml; charset=utf-8",
  json: "application/json; charset=utf-8",
};

/**
 * Serves a feed's last build to whoever holds its token (the channel's fetcher has no session).
 * Unknown, malformed and revoked tokens get the same 404, so probing learns nothing. The bytes are
 * streamed chunk by chunk from the database, gzip as stored when the client accepts it.
 */
export async function serveFeed(runtime: Runtime, tokenWithExtension: string, request: Request): Promise<Response> {
  const token = tokenWithExtension.replace(/\.(csv|tsv|xml|json)$/, "");
  const notFound = () => new Response("Not found\n", { status: 404, headers: { "content-type": "text/plain; charset=utf-8", "x-robots-tag": "noindex" } });
  if (!isWellFormedFeedToken(token)) return notFound();
  const feed = await findFeedByToken(runtime.db.sql, token);
  if (!feed || feed.revokedAt) return notFound();
  const build = feed.currentBuildId ? await getBuild(runtime.db.sql, feed.shop, feed.currentBuildId) : null;
  if (!build || !build.etag || !build.contentChangedAt) {
    return new Response("The feed is being built; try again in a minute.\n", {
      status: 503,
      headers: { "retry-after": "60", "content-type": "text/plain; charset=utf-8" },
    });
  }

  const lastModified = build.contentChangedAt;
  const headers = new Headers({
    "content-type": CONTENT_TYPES[feed.format] ?? "application/octet-stream",
    etag: build.etag,
    "last-modified": lastModified.toUTCString(),
    // Fetchers must revalidate (cheap: a 304), and nothing should store a token URL's content publicly.
    "cache-control": "private, no-cache",
    "x-robots-tag": "noindex",
    vary: "accept-encoding",
    "content-disposition": `inline; filename="shelfcast-${feed.channel}-${feed.market}.${feed.format}"`,
  });
  if (isNotModified(request.headers, build.etag, lastModified)) return new Response(null, { status: 304, headers });

  const gzip = acceptsGzip(request.headers.get("accept-encoding"));
  if (gzip) {
    headers.set("content-encoding", "gzip");
    headers.set("content-length", String(build.gzipBytes));
  } else {
    headers.set("content-length", String(build.bytes));
  }
  if (request.method === "HEAD") return new Response(null, { status: 200, headers });

  const compressed = chunkStream(runtime, feed.shop, build.id);
  const body = gzip ? compressed : compressed.pipeThrough(new DecompressionStream("gzip") as unknown as TransformStream<Uint8Array, Uint8Array>);
  return new Response(body, { status: 200, headers });
}

function chunkStream(runtime: Runtime, shop: string, buildId: string): ReadableStream<Uint8Array> {
  let seq = 0;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const chunk = await readBuildChunk(runtime.db.sql, shop, buildId, seq);
      seq += 1;
      if (chunk) controller.enqueue(new Uint8Array(chunk));
      else controller.close();
    },
  });
}

/** RFC 9110 §13.1: If-None-Match wins over If-Modified-Since; dates compare at one-second precision. */
export function isNotModified(requestHeaders: Headers, etag: string, lastModified: Date): boolean {
  const ifNoneMatch = requestHeaders.get("if-none-match");
  if (ifNoneMatch !== null) {
    return ifNoneMatch
      .split(",")
      .map((tag) => tag.trim().replace(/^W\//, ""))
      .some((tag) => tag === "*" || tag === etag);
  }
  const ifModifiedSince = requestHeaders.get("if-modified-since");
  if (ifModifiedSince === null) return false;
  const since = Date.parse(ifModifiedSince);
  return !Number.isNaN(since) && Math.floor(lastModified.getTime() / 1000) <= Math.floor(since / 1000);
}

function acceptsGzip(acceptEncoding: string | null): boolean {
  if (!acceptEncoding) return false;
  return acceptEncoding.split(",").some((part) => {
    const [coding, ...params] = part.trim().split(";");
    const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
    return (coding === "gzip" || coding === "*") && (q === undefined || Number(q.slice(2)) > 0);
  });
}

/**
 * A `fetch` that answers from the channel fakes instead of the network, for the demo (which runs in
 * production builds, so it cannot use msw) and for anything else that injects `fetch`. Tests that
 * patch the global fetch use the msw wrappers in tests/mocks/channel-fakes.ts instead; both route to
 * the same `handle(request)`.
 */

/** What every fake offers the routers: which URLs it answers, and the answer. */
export interface HttpFake {
  /** Whether requests to this URL are the fake's (by host); the router asks before handing it the request. */
  owns(url: URL): boolean;
  /** The fake's answer, or null when the request is not for it (the next fake, or the network, gets it). */
  handle(request: Request): Promise<Response | null>;
}

/**
 * Routes each request to the first fake that owns its host and answers it. A host no fake owns fails
 * the way undici's fetch fails on a name that does not resolve (TypeError "fetch failed" with the
 * cause), so the demo never reaches the network by accident and a client's error path is exercised
 * as it would be in production.
 */
export function createFakeFetch(...fakes: HttpFake[]): typeof fetch {
  const fakeFetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    if (request.signal.aborted) throw request.signal.reason;
    const url = new URL(request.url);
    for (const fake of fakes) {
      if (!fake.owns(url)) continue;
      const response = await fake.handle(request);
      if (response) return response;
    }
    throw new TypeError("fetch failed", { cause: new Error(`getaddrinfo ENOTFOUND ${url.hostname}`) });
  };
  return fakeFetch as typeof fetch;
}

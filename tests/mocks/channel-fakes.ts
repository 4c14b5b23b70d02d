import { http, type HttpHandler } from "msw";
import type { HttpFake } from "../../app/demo/channel-fakes";
import { mockServer } from "./server";

/**
 * msw handlers for the channel fakes (app/demo/channel-fakes): each fake answers the requests to
 * its hosts (graph.facebook.com; open-api.tiktokglobalshop.com and auth.tiktok-shops.com; the image
 * CDN hosts) through the same `handle(request)` the demo's fake fetch uses. A request a fake declines
 * (null: e.g. the Conversions API's /{pixel}/events on graph.facebook.com) falls through to the next
 * handler.
 */
export function channelFakeHandlers(...fakes: HttpFake[]): HttpHandler[] {
  return fakes.map((fake) =>
    http.all(
      ({ request }) => fake.owns(new URL(request.url)),
      async ({ request }) => {
        try {
          return (await fake.handle(request)) ?? undefined;
        } catch (error) {
          // A fault's silence ends when the caller aborts: its fetch has already rejected, so the
          // answer goes nowhere; a network error keeps msw from reporting the abort as a handler crash.
          if (request.signal.aborted) return Response.error();
          throw error;
        }
      },
    ),
  );
}

/** Installs the fakes on the shared msw server for the current test (reset after each test). */
export function useChannelFakes(...fakes: HttpFake[]): void {
  mockServer.use(...channelFakeHandlers(...fakes));
}

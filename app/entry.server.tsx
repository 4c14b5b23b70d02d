import { PassThrough } from "node:stream";
import type { AppLoadContext, EntryContext } from "@remix-run/node";
import { createReadableStreamFromReadable } from "@remix-run/node";
import { RemixServer } from "@remix-run/react";
import { isbot } from "isbot";
import { renderToPipeableStream } from "react-dom/server";
import { DEMO_SHOP, env } from "./env.server";
import { isDemoRequest, type RequestContext } from "./.server/auth";
import { frameAncestorsPolicy, sanitizeShopDomain } from "./.server/http/frame-ancestors";

export { boot } from "./.server/boot";

const ABORT_DELAY_MS = 5_000;

export default async function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  // Every HTML response names the one shop that may frame it (or nobody).
  const shop = isDemoRequest(request, loadContext as RequestContext)
    ? DEMO_SHOP
    : sanitizeShopDomain(new URL(request.url).searchParams.get("shop"));
  responseHeaders.set("Content-Security-Policy", frameAncestorsPolicy(shop));
  if (shop && !env().SHELFCAST_DEMO) {
    responseHeaders.set("Link", '<https://cdn.shopify.com/shopifycloud/app-bridge.js>; rel="preload"; as="script";');
  }
  const userAgent = request.headers.get("user-agent");
  const readyEvent = userAgent && isbot(userAgent) ? "onAllReady" : "onShellReady";

  return new Promise<Response>((resolve, reject) => {
    let didError = false;
    const { pipe, abort } = renderToPipeableStream(<RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY_MS} />, {
      [readyEvent]: () => {
        const body = new PassThrough();
        responseHeaders.set("Content-Type", "text/html; charset=utf-8");
        resolve(new Response(createReadableStreamFromReadable(body), { headers: responseHeaders, status: didError ? 500 : responseStatusCode }));
        pipe(body);
      },
      onShellError: reject,
      onError: (error: unknown) => {
        didError = true;
        console.error(error);
      },
    });
    setTimeout(abort, ABORT_DELAY_MS);
  });
}

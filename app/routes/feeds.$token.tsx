import type { LoaderFunctionArgs } from "@remix-run/node";
import { getRuntime } from "~/.server/runtime";
import { serveFeed } from "~/.server/services/channel-feeds/serve-feed";

/** A channel fetches a feed here: /feeds/<token>.<csv|tsv|xml|json>. The token is the credential. */
export async function loader({ params, request }: LoaderFunctionArgs) {
  return serveFeed(await getRuntime(), params.token ?? "", request);
}

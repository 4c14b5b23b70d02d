import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData, useSearchParams } from "@remix-run/react";
import { Banner, BlockStack, Button, Card, Layout, Page, Text } from "@shopify/polaris";
import { useCallback } from "react";
import { z } from "zod";
import { requireShop } from "~/.server/auth";
import {
  DEMO_META_BUSINESS_ID,
  DEMO_META_CATALOG_ID,
  DEMO_META_TOKEN,
  DEMO_TIKTOK_APP_KEY,
  DEMO_TIKTOK_APP_SECRET,
  isDemoChannelShop,
} from "~/.server/channels/channel-fetch";
import { getRuntime } from "~/.server/runtime";
import {
  disconnectChannel,
  listConnectionSummaries,
  loadTikTokMappingChoices,
  recommendCategory,
  reloadTikTokWarehouses,
  saveMetaConnection,
  saveTikTokMappings,
  selectTikTokShop,
  startTikTokAuthorization,
  testMetaConnectionFor,
  type MetaConnectionSummary,
  type TikTokConnectionSummary,
} from "~/.server/services/publishing/connections";
import type { ChannelsSettingsAnswer } from "~/components/channels/connections/connection-answers";
import { MetaConnectionCard } from "~/components/channels/connections/MetaConnectionCard";
import { TikTokConnectionCard } from "~/components/channels/connections/TikTokConnectionCard";
import { TikTokMappingsCard } from "~/components/channels/connections/TikTokMappingsCard";
import { useFeedbackToast } from "~/components/channels/useFeedbackToast";
import { PageErrorBoundary } from "~/components/PageErrorBoundary";

export const TIKTOK_CONSENT_DEMO_PATH = "/app/settings/tiktok-consent";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { shop, mode } = await requireShop(request, context);
  const runtime = await getRuntime();
  const connections = await listConnectionSummaries(runtime, shop);
  const meta = connections.find((connection): connection is MetaConnectionSummary => connection.channel === "meta") ?? null;
  const tiktok = connections.find((connection): connection is TikTokConnectionSummary => connection.channel === "tiktok") ?? null;
  const choices = tiktok?.settings.shopId ? await loadTikTokMappingChoices(runtime, shop) : null;
  // The demo's fake channels accept one catalog and one app: their ids are filled in; the token and
  // the app secret stay on the server (a blank one means the demo's, see the action).
  const demo = (await isDemoChannelShop(runtime, shop)) ? { metaCatalogId: DEMO_META_CATALOG_ID, metaBusinessId: DEMO_META_BUSINESS_ID, tiktokAppKey: DEMO_TIKTOK_APP_KEY } : null;
  // `now` travels with the data so "expires in 6 days" reads the same on the server and in the browser.
  return { meta, tiktok, choices, demo, embedded: mode === "shopify", now: new Date().toISOString() };
}

export const meta: MetaFunction = () => [{ title: "Settings · Shelfcast" }];

const ActionSchema = z.discriminatedUnion("intent", [
  // Field values are validated by the service (connections.ts), which names the field.
  z.object({ intent: z.literal("meta-save"), catalogId: z.string(), businessId: z.string().optional(), token: z.string().optional() }),
  z.object({ intent: z.literal("meta-test") }),
  z.object({ intent: z.literal("tiktok-start"), appKey: z.string(), appSecret: z.string().optional() }),
  z.object({ intent: z.literal("tiktok-select-shop"), shopId: z.string().max(200) }),
  z.object({ intent: z.literal("tiktok-mappings"), warehouseMap: z.string().max(200_000), categoryMap: z.string().max(1_000_000) }),
  z.object({ intent: z.literal("tiktok-recommend"), categoryId: z.string().max(500) }),
  z.object({ intent: z.literal("tiktok-reload-warehouses") }),
  z.object({ intent: z.literal("disconnect"), channel: z.string() }),
]);

function parseJsonField(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

export async function action({ request, context }: ActionFunctionArgs): Promise<ChannelsSettingsAnswer> {
  const { shop } = await requireShop(request, context);
  const runtime = await getRuntime();
  const parsed = ActionSchema.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return { intent: "invalid", message: "That request was not understood; reload the page and try again." };
  const input = parsed.data;
  switch (input.intent) {
    case "meta-save": {
      const demo = await isDemoChannelShop(runtime, shop);
      const token = demo && !input.token?.trim() ? DEMO_META_TOKEN : input.token;
      return { intent: input.intent, result: await saveMetaConnection(runtime, shop, { ...input, token }) };
    }
    case "meta-test":
      return { intent: input.intent, result: await testMetaConnectionFor(runtime, shop) };
    case "tiktok-start": {
      const demo = await isDemoChannelShop(runtime, shop);
      // The demo's app secret never went to the page: a blank secret for the demo app means that one.
      const appSecret = demo && input.appKey.trim() === DEMO_TIKTOK_APP_KEY && !input.appSecret ? DEMO_TIKTOK_APP_SECRET : input.appSecret;
      const result = await startTikTokAuthorization(runtime, shop, { appKey: input.appKey, appSecret });
      if (!result.ok) return { intent: input.intent, result, redirect: null };
      // No TikTok to reach in the demo: its consent page is simulated inside the app.
      const state = new URL(result.authorizeUrl).searchParams.get("state") ?? "";
      const redirect = demo ? { url: `${TIKTOK_CONSENT_DEMO_PATH}?${new URLSearchParams({ state }).toString()}`, external: false } : { url: result.authorizeUrl, external: true };
      return { intent: input.intent, result, redirect };
    }
    case "tiktok-select-shop":
      return { intent: input.intent, result: await selectTikTokShop(runtime, shop, input) };
    case "tiktok-mappings": {
      const warehouseMap = parseJsonField(input.warehouseMap);
      const categoryMap = parseJsonField(input.categoryMap);
      return { intent: input.intent, result: await saveTikTokMappings(runtime, shop, { warehouseMap, categoryMap }) };
    }
    case "tiktok-recommend":
      return { intent: input.intent, categoryId: input.categoryId, result: await recommendCategory(runtime, shop, { categoryId: input.categoryId }) };
    case "tiktok-reload-warehouses":
      return { intent: input.intent, result: await reloadTikTokWarehouses(runtime, shop) };
    case "disconnect":
      return { intent: input.intent, result: await disconnectChannel(runtime, shop, input.channel) };
  }
}

export default function SettingsPage() {
  const view = useLoaderData<typeof loader>();
  const { show, toast } = useFeedbackToast(view.embedded);
  const onMessage = useCallback((message: string, error?: boolean) => show(message, { error }), [show]);
  const [searchParams, setSearchParams] = useSearchParams();
  // The TikTok callback sends the merchant back here with the outcome (the details are on the connection).
  const tiktokReturn = searchParams.get("tiktok");
  const dismissReturn = () => setSearchParams({}, { replace: true, preventScrollReset: true });

  return (
    <Page title="Settings" subtitle="Channel connections: where Shelfcast publishes your catalog">
      <Layout>
        {tiktokReturn === "connected" && view.tiktok?.status === "connected" ? (
          <Layout.Section>
            <Banner tone="success" title="TikTok Shop authorised" onDismiss={dismissReturn}>
              <Text as="p">
                {view.tiktok.settings.shopId ? "Map your locations and categories below, then publish from the Channels page." : "Choose the shop to publish to below."}
              </Text>
            </Banner>
          </Layout.Section>
        ) : tiktokReturn === "failed" ? (
          <Layout.Section>
            <Banner tone="critical" title="TikTok Shop was not connected" onDismiss={dismissReturn}>
              <Text as="p">{view.tiktok?.lastError ?? "The authorisation did not complete. Click Connect TikTok Shop to try again."}</Text>
            </Banner>
          </Layout.Section>
        ) : null}
        <Layout.AnnotatedSection
          id="meta-catalog"
          title="Meta catalog"
          description="Shelfcast writes your products to a Meta commerce catalog (Facebook and Instagram Shops, Advantage+ catalog ads) through the Catalog Batch API, with a system user's token."
        >
          <MetaConnectionCard connection={view.meta} demo={view.demo} now={view.now} onMessage={onMessage} />
        </Layout.AnnotatedSection>
        <Layout.AnnotatedSection
          id="tiktok-shop"
          title="TikTok Shop"
          description="Shelfcast creates and updates your products in TikTok Shop through the Partner API once the seller authorises your TikTok Shop app. The access token is renewed automatically."
        >
          <TikTokConnectionCard connection={view.tiktok} demoAppKey={view.demo?.tiktokAppKey ?? null} now={view.now} onMessage={onMessage} />
        </Layout.AnnotatedSection>
        {view.tiktok?.settings.shopId && view.choices ? (
          <Layout.AnnotatedSection
            id="tiktok-mappings"
            title="TikTok Shop mappings"
            description="Where stock and categories go in TikTok Shop: every product needs a leaf category, and every SKU its stock in a warehouse."
          >
            <TikTokMappingsCard key={view.tiktok.settings.shopId} connection={view.tiktok} choices={view.choices} onMessage={onMessage} />
          </Layout.AnnotatedSection>
        ) : null}
        <Layout.AnnotatedSection id="feeds" title="Feeds and markets" description="Markets, currencies, item ids and each channel's feed URL are on the Channels page.">
          <Card>
            <BlockStack gap="200" inlineAlign="start">
              <Text as="p">Feeds need no connection: each channel fetches its private feed URL.</Text>
              <Button url="/app/channels">Open Channels</Button>
            </BlockStack>
          </Card>
        </Layout.AnnotatedSection>
      </Layout>
      {toast}
    </Page>
  );
}

export function ErrorBoundary() {
  return <PageErrorBoundary title="Settings" />;
}

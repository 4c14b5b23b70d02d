import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useFetcher, useLoaderData, useRevalidator } from "@remix-run/react";
import { Banner, Card, EmptyState, Layout, Page, Text } from "@shopify/polaris";
import { useCallback, useEffect } from "react";
import { z } from "zod";
import { requireShop } from "~/.server/auth";
import { getRuntime } from "~/.server/runtime";
import { loadChannelsOverview, runChannelsAction } from "~/.server/services/channel-feeds/channel-overview";
import { loadPublishingOverview, requestPublishNow, retryDeadLetters } from "~/.server/services/publishing/publishing-overview";
import { PublishActivityCard } from "~/components/channels/publishing/PublishActivityCard";
import { PublishingCard } from "~/components/channels/publishing/PublishingCard";
import { ChannelCard } from "~/components/channels/ChannelCard";
import { FeedSettingsCard } from "~/components/channels/FeedSettingsCard";
import { TopProblemsCard } from "~/components/channels/TopProblemsCard";
import { useFeedbackToast } from "~/components/channels/useFeedbackToast";
import { PageErrorBoundary } from "~/components/PageErrorBoundary";
import { IgnoredSettingsBanner } from "~/components/IgnoredSettingsBanner";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { shop, mode } = await requireShop(request, context);
  const runtime = await getRuntime();
  const [overview, publishing] = await Promise.all([loadChannelsOverview(runtime, shop), loadPublishingOverview(runtime, shop)]);
  // `now` travels with the data so "Built 3 min ago" reads the same on the server and in the browser.
  return { ...overview, publishing, embedded: mode === "shopify", now: new Date().toISOString() };
}

const ChannelsActionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("rebuild") }),
  z.object({ intent: z.literal("rotate"), feedId: z.string().min(1).max(100) }),
  z.object({ intent: z.literal("revoke"), feedId: z.string().min(1).max(100) }),
  z.object({ intent: z.literal("settings"), settings: z.string().max(20_000) }),
  z.object({ intent: z.literal("publish") }),
  z.object({ intent: z.literal("retry-dead"), channel: z.enum(["meta", "tiktok"]) }),
]);

export async function action({ request, context }: ActionFunctionArgs) {
  const { shop } = await requireShop(request, context);
  const parsed = ChannelsActionSchema.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return { ok: false, message: "That request was not understood; reload the page and try again." };
  const runtime = await getRuntime();
  if (parsed.data.intent === "publish") {
    await requestPublishNow(runtime, shop);
    return { ok: true, message: "Publishing every change to the connected channels" };
  }
  if (parsed.data.intent === "retry-dead") {
    const revived = await retryDeadLetters(runtime, shop, parsed.data.channel);
    return { ok: true, message: revived === 1 ? "1 item will be sent again" : `${revived} items will be sent again` };
  }
  return runChannelsAction(runtime, shop, parsed.data);
}

export default function ChannelsPage() {
  const view = useLoaderData<typeof loader>();
  const rebuild = useFetcher<typeof action>();
  const publish = useFetcher<typeof action>();
  const revalidator = useRevalidator();
  const { show, toast } = useFeedbackToast(view.embedded);
  const onMessage = useCallback((message: string, error?: boolean) => show(message, { error }), [show]);

  // While a build or a publish is queued or running, refresh every two seconds so counts and progress move.
  const busy = view.building || view.publishing.busy || view.publishing.channels.some((channel) => channel.running !== null);
  useEffect(() => {
    if (!busy) return;
    const timer = setInterval(() => revalidator.state === "idle" && revalidator.revalidate(), 2000);
    return () => clearInterval(timer);
  }, [busy, revalidator]);

  const rebuildAnswer = rebuild.state === "idle" ? rebuild.data : undefined;
  useEffect(() => {
    if (rebuildAnswer) show(rebuildAnswer.message, { error: !rebuildAnswer.ok });
  }, [rebuildAnswer, show]);
  const publishAnswer = publish.state === "idle" ? publish.data : undefined;
  useEffect(() => {
    if (publishAnswer) show(publishAnswer.message, { error: !publishAnswer.ok });
  }, [publishAnswer, show]);
  const anyConnected = view.publishing.channels.some((channel) => channel.connection.status === "connected");

  const hasFeeds = view.channels.some((channel) => channel.feeds.length > 0);
  const publishingSections = (
    <>
      {view.publishing.channels.map((channel) => (
        <Layout.Section key={`publishing-${channel.channel}`}>
          <PublishingCard
            channel={channel}
            now={view.now}
            retrying={publish.state !== "idle" && publish.formData?.get("channel") === channel.channel}
            onRetryDead={(name) => publish.submit({ intent: "retry-dead", channel: name }, { method: "post" })}
          />
        </Layout.Section>
      ))}
      {anyConnected ? (
        <Layout.Section>
          <PublishActivityCard runs={view.publishing.activity} now={view.now} />
        </Layout.Section>
      ) : null}
    </>
  );
  const labels = Object.fromEntries(view.channels.map((channel) => [channel.channel, channel.label]));
  const markets = view.markets.map((market) => `${market.code} (${market.currency}, ${market.language})`).join(", ");

  return (
    <Page
      title="Channels"
      subtitle={`Markets: ${markets} · Item ids: ${view.idScheme}`}
      primaryAction={{
        content: "Rebuild feeds",
        loading: rebuild.state !== "idle",
        disabled: view.building,
        helpText: view.building ? "A build is already queued or running." : undefined,
        onAction: () => rebuild.submit({ intent: "rebuild" }, { method: "post" }),
      }}
      secondaryActions={
        anyConnected
          ? [{ content: "Publish now", loading: publish.state !== "idle" && publish.formData?.get("intent") === "publish", onAction: () => publish.submit({ intent: "publish" }, { method: "post" }) }]
          : []
      }
    >
      <Layout>
        {view.building ? (
          <Layout.Section>
            <Banner tone="info" title="Building feeds">
              <Text as="p">Shelfcast is rebuilding every channel's feed from the catalog. The counts below update when it finishes; channels keep fetching the previous build until then.</Text>
            </Banner>
          </Layout.Section>
        ) : null}
        {view.setupProblems.length > 0 ? (
          <Layout.Section>
            <IgnoredSettingsBanner title="Some channel settings were ignored" problems={view.setupProblems} />
          </Layout.Section>
        ) : null}
        {hasFeeds ? (
          <>
            {/* Channels published to live come first: what they hold is the freshest news; unconnected ones follow the feeds as an invitation. */}
            {anyConnected ? publishingSections : null}
            {view.channels.map((channel) => (
              <Layout.Section key={channel.channel}>
                <ChannelCard channel={channel} now={view.now} onMessage={onMessage} />
              </Layout.Section>
            ))}
            {anyConnected ? null : publishingSections}
            <Layout.Section>
              <TopProblemsCard problems={view.topProblems} labels={labels} multipleMarkets={view.markets.length > 1} />
            </Layout.Section>
            <Layout.Section>
              <FeedSettingsCard idScheme={view.idScheme} markets={view.markets} onMessage={onMessage} />
            </Layout.Section>
          </>
        ) : (
          <Layout.Section>
            <Card>
              <EmptyState
                heading={view.building ? "Your first feeds are being built" : "No feeds built yet"}
                image="/empty-state.svg"
                action={view.building ? undefined : { content: "Build feeds now", onAction: () => rebuild.submit({ intent: "rebuild" }, { method: "post" }), loading: rebuild.state !== "idle" }}
              >
                <Text as="p">
                  Shelfcast builds one feed per channel and market from your catalog after each sync: Meta, TikTok Shop, TikTok ads, Pinterest and Google Merchant Center. Each gets a private URL to paste into the
                  channel, and every item that a channel would reject is listed with the fix.
                </Text>
              </EmptyState>
            </Card>
          </Layout.Section>
        )}
      </Layout>
      {toast}
    </Page>
  );
}

export function ErrorBoundary() {
  return <PageErrorBoundary title="Channels" />;
}

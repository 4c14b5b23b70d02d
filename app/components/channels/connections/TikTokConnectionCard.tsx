import { useNavigate } from "@remix-run/react";
import { BlockStack, Button, Card, Divider, InlineStack, Select, Text, TextField } from "@shopify/polaris";
import { useCallback, useState } from "react";
import type { TikTokConnectionSummary } from "~/.server/services/publishing/connections";
import { SecretField } from "~/components/SecretField";
import { errorsOf, fieldError, formatInstant, timeUntil, useSettingsFetcher, type ChannelsSettingsAnswer, type OnMessage } from "./connection-answers";
import { ConnectionCardHeader, ConnectionErrorBanner } from "./ConnectionCardHeader";

/**
 * TikTok Shop: the app key and secret, then the seller's authorisation in TikTok (at top level:
 * TikTok's consent page cannot load inside Shopify Admin's frame), then the shop to publish to.
 */
export function TikTokConnectionCard({
  connection,
  demoAppKey,
  now,
  onMessage,
}: {
  connection: TikTokConnectionSummary | null;
  /** The demo's TikTok app (its fake TikTok knows no other); null outside the demo. */
  demoAppKey: string | null;
  now: string;
  onMessage: OnMessage;
}) {
  const navigate = useNavigate();
  const [appKey, setAppKey] = useState(connection?.settings.appKey ?? demoAppKey ?? "");
  const [appSecret, setAppSecret] = useState("");
  const [shopId, setShopId] = useState(connection?.settings.shopId ?? connection?.settings.shops[0]?.id ?? "");

  const onStarted = useCallback(
    (answer: ChannelsSettingsAnswer) => {
      if (answer.intent === "invalid") return onMessage(answer.message, true);
      if (answer.intent !== "tiktok-start" || !answer.result.ok || !answer.redirect) return;
      setAppSecret("");
      if (!answer.redirect.external) return navigate(answer.redirect.url);
      // Inside Shopify Admin this leaves the iframe (App Bridge lets `open` target the top window).
      window.open(answer.redirect.url, "_top");
    },
    [navigate, onMessage],
  );
  const start = useSettingsFetcher(onStarted);
  const select = useSettingsFetcher(
    useCallback((answer: ChannelsSettingsAnswer) => reportResult(answer, "tiktok-select-shop", onMessage), [onMessage]),
  );
  const remove = useSettingsFetcher(useCallback((answer: ChannelsSettingsAnswer) => reportResult(answer, "disconnect", onMessage), [onMessage]));

  const startErrors = errorsOf(start.answer);
  const selectErrors = errorsOf(select.answer);
  const busy = start.busy || select.busy || remove.busy;
  const authorised = connection !== null && connection.accessExpiresAt !== null;
  const shops = connection?.settings.shops ?? [];

  return (
    <Card>
      <BlockStack gap="400">
        <ConnectionCardHeader
          title="TikTok Shop"
          status={connection?.status ?? null}
          disabled={busy}
          disconnecting={remove.busy}
          onDisconnect={() => remove.fetcher.submit({ intent: "disconnect", channel: "tiktok" }, { method: "post" })}
        />
        {connection && authorised ? <TikTokAuthorisationFacts connection={connection} now={now} /> : null}
        <ConnectionErrorBanner connection={connection} reconnectTitle="TikTok Shop must be reconnected" problemTitle="TikTok Shop reported a problem" />
        {demoAppKey ? (
          <Text as="p" tone="subdued">
            Demo: the demo&apos;s simulated TikTok app is filled in; leave the secret blank to use its secret. Connecting shows a simulated consent page instead of TikTok&apos;s.
          </Text>
        ) : null}
        <TextField
          label="App key"
          value={appKey}
          onChange={setAppKey}
          autoComplete="off"
          helpText="TikTok Shop Partner Center → App & Service → your app → App key."
          error={fieldError(startErrors, "appKey")}
        />
        <SecretField
          label="App secret"
          value={appSecret}
          onChange={setAppSecret}
          hint={connection?.hint}
          helpText="Shown next to the app key. Stored encrypted; the page never shows it again."
          error={fieldError(startErrors, "appSecret")}
        />
        <InlineStack align="end">
          <Button
            variant="primary"
            disabled={busy || appKey.trim() === "" || (!connection && !demoAppKey && appSecret.trim() === "")}
            loading={start.busy}
            onClick={() => start.fetcher.submit({ intent: "tiktok-start", appKey, appSecret }, { method: "post" })}
          >
            {authorised ? "Reconnect TikTok Shop" : "Connect TikTok Shop"}
          </Button>
        </InlineStack>
        {authorised && shops.length > 0 ? (
          <>
            <Divider />
            <BlockStack gap="200">
              <Text as="h3" variant="headingSm">
                Shop to publish to
              </Text>
              <InlineStack gap="200" blockAlign="end">
                <div style={{ flexGrow: 1 }}>
                  <Select
                    label="TikTok shop"
                    options={shops.map((shop) => ({ label: `${shop.name} (${shop.region})`, value: shop.id }))}
                    value={shopId}
                    onChange={setShopId}
                    error={fieldError(selectErrors, "shopId")}
                  />
                </div>
                <Button
                  disabled={busy || shopId === "" || shopId === connection.settings.shopId}
                  loading={select.busy}
                  onClick={() => select.fetcher.submit({ intent: "tiktok-select-shop", shopId }, { method: "post" })}
                >
                  Use this shop
                </Button>
              </InlineStack>
              {connection.settings.shopId === null ? (
                <Text as="p" tone="caution">
                  Choose the shop Shelfcast publishes to; nothing is published until you do.
                </Text>
              ) : null}
            </BlockStack>
          </>
        ) : null}
      </BlockStack>
    </Card>
  );
}

function reportResult(answer: ChannelsSettingsAnswer, intent: ChannelsSettingsAnswer["intent"], onMessage: OnMessage) {
  if (answer.intent === "invalid") onMessage(answer.message, true);
  else if (answer.intent === intent && "result" in answer && "ok" in answer.result && answer.result.ok) onMessage(answer.result.message);
}

function TikTokAuthorisationFacts({ connection, now }: { connection: TikTokConnectionSummary; now: string }) {
  const { settings, accessExpiresAt, refreshExpiresAt } = connection;
  const seller = settings.sellerName ? `Seller ${settings.sellerName}` : "Seller authorised";
  const shop = connection.shopName ? ` · publishing to ${connection.shopName}${settings.region ? ` (${settings.region})` : ""}` : "";
  return (
    <BlockStack gap="100">
      <Text as="p" tone="subdued">{`${seller}${shop} · app secret •••• ${connection.hint ?? "????"}`}</Text>
      {accessExpiresAt ? (
        <Text as="p" tone="subdued">
          {`Access token expires ${formatInstant(accessExpiresAt)} (${timeUntil(accessExpiresAt, now)}); Shelfcast renews it a day before.`}
          {refreshExpiresAt ? ` The authorisation itself lasts until ${formatInstant(refreshExpiresAt)}.` : ""}
        </Text>
      ) : null}
    </BlockStack>
  );
}

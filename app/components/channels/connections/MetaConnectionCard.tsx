import { Banner, BlockStack, Button, Card, InlineStack, Text, TextField } from "@shopify/polaris";
import { useCallback, useState } from "react";
import type { MetaConnectionSummary } from "~/.server/services/publishing/connections";
import { timeAgo } from "~/components/channels/format";
import { SecretField } from "~/components/SecretField";
import { errorsOf, fieldError, useSettingsFetcher, type ChannelsSettingsAnswer, type OnMessage } from "./connection-answers";
import { ConnectionCardHeader, ConnectionErrorBanner } from "./ConnectionCardHeader";

/**
 * Meta catalog: catalog id, business id and a system-user token. The token goes to the server once;
 * the page only ever shows "•••• last4" back. "Test connection" reads the catalog with it.
 */
export function MetaConnectionCard({
  connection,
  demo,
  now,
  onMessage,
}: {
  connection: MetaConnectionSummary | null;
  /** The demo's catalog (its fake Meta knows no other); null outside the demo. */
  demo: { metaCatalogId: string; metaBusinessId: string } | null;
  now: string;
  onMessage: OnMessage;
}) {
  const [catalogId, setCatalogId] = useState(connection?.settings.catalogId ?? demo?.metaCatalogId ?? "");
  const [businessId, setBusinessId] = useState(connection?.settings.businessId ?? demo?.metaBusinessId ?? "");
  const [token, setToken] = useState("");

  const onSaved = useCallback(
    (answer: ChannelsSettingsAnswer) => {
      if (answer.intent === "invalid") onMessage(answer.message, true);
      else if (answer.intent === "meta-save" && answer.result.ok) {
        setToken("");
        onMessage(answer.result.message);
      }
    },
    [onMessage],
  );
  const save = useSettingsFetcher(onSaved);
  const onTested = useCallback(
    (answer: ChannelsSettingsAnswer) => {
      if (answer.intent === "meta-test") onMessage(answer.result.message, !answer.result.ok);
      else if (answer.intent === "invalid") onMessage(answer.message, true);
    },
    [onMessage],
  );
  const test = useSettingsFetcher(onTested);
  const remove = useSettingsFetcher(
    useCallback(
      (answer: ChannelsSettingsAnswer) => {
        if (answer.intent === "disconnect") onMessage(answer.result.ok ? answer.result.message : (answer.result.errors[0]?.message ?? "Not disconnected"), !answer.result.ok);
      },
      [onMessage],
    ),
  );

  const errors = errorsOf(save.answer);
  const testResult = test.answer?.intent === "meta-test" ? test.answer.result : null;
  const busy = save.busy || test.busy || remove.busy;
  const stored = connection !== null;
  const untested = stored && connection.lastCheckedAt === null;

  return (
    <Card>
      <BlockStack gap="400">
        <ConnectionCardHeader
          title="Meta catalog"
          status={connection?.status ?? null}
          untested={untested}
          disabled={busy}
          disconnecting={remove.busy}
          onDisconnect={() => remove.fetcher.submit({ intent: "disconnect", channel: "meta" }, { method: "post" })}
        />
        {connection ? <MetaConnectionFacts connection={connection} now={now} /> : null}
        <ConnectionErrorBanner connection={connection} reconnectTitle="Meta refused the connection" problemTitle="The last check failed" />
        {demo ? (
          <Text as="p" tone="subdued">
            Demo: the demo&apos;s simulated catalog is filled in. Leave the token blank to use the demo&apos;s system-user token.
          </Text>
        ) : null}
        <TextField
          label="Catalog id"
          value={catalogId}
          onChange={setCatalogId}
          autoComplete="off"
          inputMode="numeric"
          helpText="Commerce Manager → your catalog → Settings: the number under Catalog ID."
          error={fieldError(errors, "catalogId")}
        />
        <TextField
          label="Business id (optional)"
          value={businessId}
          onChange={setBusinessId}
          autoComplete="off"
          inputMode="numeric"
          helpText="Business Settings → Business info. Used to read Meta's rate-limit headers for your business."
          error={fieldError(errors, "businessId")}
        />
        <SecretField
          label="System-user access token"
          value={token}
          onChange={setToken}
          hint={connection?.hint}
          helpText="Business Settings → Users → System users → Generate new token, with the catalog_management permission and access to this catalog. Stored encrypted."
          error={fieldError(errors, "token")}
        />
        {testResult ? (
          testResult.ok ? (
            <Banner tone="success" title="Meta answered">
              <Text as="p">{testResult.message}</Text>
            </Banner>
          ) : (
            <Banner tone="critical" title="The test failed">
              <Text as="p">{testResult.message}</Text>
            </Banner>
          )
        ) : null}
        <InlineStack gap="200" align="end">
          <Button disabled={!stored || busy} loading={test.busy} onClick={() => test.fetcher.submit({ intent: "meta-test" }, { method: "post" })}>
            Test connection
          </Button>
          <Button
            variant="primary"
            disabled={busy || catalogId.trim() === "" || (!stored && !demo && token.trim() === "")}
            loading={save.busy}
            onClick={() => save.fetcher.submit({ intent: "meta-save", catalogId, businessId, token }, { method: "post" })}
          >
            Save
          </Button>
        </InlineStack>
      </BlockStack>
    </Card>
  );
}

function MetaConnectionFacts({ connection, now }: { connection: MetaConnectionSummary; now: string }) {
  const parts = [`Token •••• ${connection.hint ?? "????"}`];
  if (connection.catalogName) {
    const count = connection.settings.productCount;
    parts.push(`catalog “${connection.catalogName}”${count === null ? "" : ` with ${count.toLocaleString("en-US")} ${count === 1 ? "product" : "products"}`}`);
  }
  parts.push(connection.lastCheckedAt ? `checked ${timeAgo(connection.lastCheckedAt, now)}` : "not tested yet");
  return (
    <Text as="p" tone="subdued">
      {parts.join(" · ")}
    </Text>
  );
}

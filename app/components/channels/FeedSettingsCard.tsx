import { useFetcher } from "@remix-run/react";
import { BlockStack, Button, Card, InlineStack, Select, Text, TextField } from "@shopify/polaris";
import { DeleteIcon } from "@shopify/polaris-icons";
import { useEffect, useState } from "react";

interface Market {
  code: string;
  currency: string;
  language: string;
}

type SettingsAnswer = { ok: boolean; message: string; errors?: { path: string; message: string }[] };

const ID_SCHEME_OPTIONS = [
  { label: "Variant id (45100000000123), recommended", value: "variant-id" },
  { label: "SKU, falling back to the variant id", value: "sku" },
  { label: "Shopify channel ids (shopify_US_<product>_<variant>)", value: "shopify-channel" },
];

/**
 * Which markets get feeds and how items are identified. Saving rebuilds every feed; a market taken
 * out loses its feed URLs (they answer 404).
 */
export function FeedSettingsCard({ idScheme, markets, onMessage }: { idScheme: string; markets: Market[]; onMessage: (message: string, error?: boolean) => void }) {
  const fetcher = useFetcher<SettingsAnswer>();
  const [scheme, setScheme] = useState(idScheme);
  const [rows, setRows] = useState<Market[]>(markets);
  const answer = fetcher.state === "idle" ? fetcher.data : undefined;
  useEffect(() => {
    if (answer) onMessage(answer.message, !answer.ok);
  }, [answer, onMessage]);

  const errorFor = (path: string) => answer?.errors?.find((error) => error.path === path)?.message;
  const update = (index: number, field: keyof Market, value: string) => setRows((current) => current.map((row, i) => (i === index ? { ...row, [field]: value } : row)));
  const dirty = scheme !== idScheme || JSON.stringify(rows) !== JSON.stringify(markets);

  return (
    <Card>
      <BlockStack gap="400">
        <BlockStack gap="100">
          <Text as="h2" variant="headingMd">
            Feed settings
          </Text>
          <Text as="p" tone="subdued">
            One feed per channel and market. Item ids are shared by every channel and by the pixels, so keep them stable once channels hold your catalog.
          </Text>
        </BlockStack>
        <Select label="Item ids" options={ID_SCHEME_OPTIONS} value={scheme} onChange={setScheme} error={errorFor("idScheme")} />
        <BlockStack gap="200">
          <Text as="h3" variant="headingSm">
            Markets
          </Text>
          {rows.map((row, index) => (
            <InlineStack key={index} gap="200" blockAlign="end" wrap={false}>
              <TextField label="Country" value={row.code} onChange={(value) => update(index, "code", value.toUpperCase())} autoComplete="off" maxLength={2} error={errorFor(`markets.${index}.code`)} />
              <TextField label="Currency" value={row.currency} onChange={(value) => update(index, "currency", value.toUpperCase())} autoComplete="off" maxLength={3} error={errorFor(`markets.${index}.currency`)} />
              <TextField label="Language" value={row.language} onChange={(value) => update(index, "language", value)} autoComplete="off" maxLength={5} error={errorFor(`markets.${index}.language`)} />
              <Button icon={DeleteIcon} accessibilityLabel={`Remove market ${row.code}`} disabled={rows.length === 1} onClick={() => setRows((current) => current.filter((_, i) => i !== index))} />
            </InlineStack>
          ))}
          {errorFor("markets") ? (
            <Text as="p" tone="critical">
              {errorFor("markets")}
            </Text>
          ) : null}
          <InlineStack gap="200">
            <Button onClick={() => setRows((current) => [...current, { code: "", currency: "", language: "en" }])} disabled={rows.length >= 20}>
              Add market
            </Button>
          </InlineStack>
          <Text as="p" tone="subdued">
            Prices in a market&apos;s currency come from its Shopify price list; items without one are held back with the reason.
          </Text>
        </BlockStack>
        <InlineStack align="end">
          <Button
            variant="primary"
            disabled={!dirty}
            loading={fetcher.state !== "idle"}
            onClick={() => fetcher.submit({ intent: "settings", settings: JSON.stringify({ idScheme: scheme, markets: rows }) }, { method: "post" })}
          >
            Save settings
          </Button>
        </InlineStack>
      </BlockStack>
    </Card>
  );
}

import { BlockStack, Button, Card, Divider, InlineGrid, InlineStack, Select, Text, TextField } from "@shopify/polaris";
import { useCallback, useState } from "react";
import type { TikTokConnectionSummary, TikTokMappingChoices } from "~/.server/services/publishing/connections";
import { numericId, plural } from "~/components/channels/format";
import { errorsOf, fieldError, useSettingsFetcher, type ChannelsSettingsAnswer, type OnMessage } from "./connection-answers";

/**
 * Where TikTok Shop's stock and categories come from: each Shopify location of the catalog to one of
 * the shop's warehouses, each Shopify category to a TikTok leaf category (TikTok's suggestion one
 * click away). Unmapped rows are left out of what is saved.
 */
export function TikTokMappingsCard({ connection, choices, onMessage }: { connection: TikTokConnectionSummary; choices: TikTokMappingChoices; onMessage: OnMessage }) {
  const { settings } = connection;
  const [warehouseFor, setWarehouseFor] = useState<Record<string, string>>(() => Object.fromEntries(settings.warehouseMap.map((pair) => [pair.locationId, pair.warehouseId])));
  const [categoryFor, setCategoryFor] = useState<Record<string, string>>(() => ({ ...settings.categoryMap }));
  const [suggestionErrors, setSuggestionErrors] = useState<Record<string, string>>({});

  const save = useSettingsFetcher(
    useCallback(
      (answer: ChannelsSettingsAnswer) => {
        if (answer.intent === "invalid") onMessage(answer.message, true);
        else if (answer.intent === "tiktok-mappings") onMessage(answer.result.ok ? answer.result.message : "Some mappings need a fix", !answer.result.ok);
      },
      [onMessage],
    ),
  );
  const reload = useSettingsFetcher(
    useCallback(
      (answer: ChannelsSettingsAnswer) => {
        if (answer.intent === "tiktok-reload-warehouses") onMessage(answer.result.ok ? answer.result.message : (answer.result.errors[0]?.message ?? "The warehouses were not read"), !answer.result.ok);
      },
      [onMessage],
    ),
  );
  const suggest = useSettingsFetcher(
    useCallback(
      (answer: ChannelsSettingsAnswer) => {
        if (answer.intent !== "tiktok-recommend") return;
        const { categoryId, result } = answer;
        setSuggestionErrors((current) => ({ ...current, [categoryId]: result.ok ? "" : result.message }));
        if (result.ok) {
          setCategoryFor((current) => ({ ...current, [categoryId]: result.leafCategoryId }));
          onMessage(result.message);
        }
      },
      [onMessage],
    ),
  );

  const errors = errorsOf(save.answer);
  const suggesting = suggest.busy ? String(suggest.fetcher.formData?.get("categoryId") ?? "") : null;
  const warehouseOptions = [{ label: "Not sent to TikTok", value: "" }, ...settings.warehouses.map((warehouse) => ({ label: `${warehouse.name}${warehouse.isDefault ? " (default)" : ""}`, value: warehouse.id }))];

  const submit = () => {
    const warehouseMap = Object.fromEntries(choices.locations.flatMap((location) => (warehouseFor[location.id] ? [[location.id, warehouseFor[location.id]]] : [])));
    const categoryMap = Object.fromEntries(
      Object.entries(categoryFor)
        .map(([categoryId, leaf]) => [categoryId, leaf.trim()] as const)
        .filter(([, leaf]) => leaf !== ""),
    );
    save.fetcher.submit({ intent: "tiktok-mappings", warehouseMap: JSON.stringify(warehouseMap), categoryMap: JSON.stringify(categoryMap) }, { method: "post" });
  };

  return (
    <Card>
      <BlockStack gap="400">
        <BlockStack gap="100">
          <Text as="h2" variant="headingMd">
            {`Warehouses of ${connection.shopName ?? "the TikTok shop"}`}
          </Text>
          <Text as="p" tone="subdued">
            TikTok Shop holds stock per warehouse. Each Shopify location you map sends its stock to that warehouse; the location mapped to TikTok&apos;s default warehouse is used first.
          </Text>
        </BlockStack>
        {fieldError(errors, "shopId") ? (
          <Text as="p" tone="critical">
            {fieldError(errors, "shopId")}
          </Text>
        ) : null}
        {choices.locations.length === 0 ? (
          <Text as="p" tone="subdued">
            The catalog has no inventory by location yet: sync the catalog first.
          </Text>
        ) : settings.warehouses.length === 0 ? (
          <Text as="p" tone="caution">
            TikTok listed no enabled warehouse for this shop. Add one in Seller Center, then reload the warehouses.
          </Text>
        ) : (
          <BlockStack gap="200">
            {choices.locations.map((location) => (
              <InlineGrid key={location.id} columns={{ xs: 1, md: 2 }} gap="200" alignItems="center">
                <BlockStack>
                  <Text as="span" fontWeight="semibold">
                    {location.name}
                  </Text>
                  <Text as="span" tone="subdued" variant="bodySm">
                    {`Location ${numericId(location.id)} · ${plural(location.variants, "variant")} stocked`}
                  </Text>
                </BlockStack>
                <Select
                  label={`TikTok warehouse for ${location.name}`}
                  labelHidden
                  options={warehouseOptions}
                  value={warehouseFor[location.id] ?? ""}
                  onChange={(value) => setWarehouseFor((current) => ({ ...current, [location.id]: value }))}
                  error={fieldError(errors, `warehouseMap.${location.id}`)}
                />
              </InlineGrid>
            ))}
          </BlockStack>
        )}
        <InlineStack>
          <Button variant="plain" loading={reload.busy} disabled={reload.busy} onClick={() => reload.fetcher.submit({ intent: "tiktok-reload-warehouses" }, { method: "post" })}>
            Reload warehouses from TikTok
          </Button>
        </InlineStack>
        <Divider />
        <BlockStack gap="100">
          <Text as="h2" variant="headingMd">
            Categories
          </Text>
          <Text as="p" tone="subdued">
            {`TikTok Shop puts every product in a leaf category of its own tree. Map each Shopify category of your catalog to a TikTok category id; Suggest asks TikTok for one from a product title.${
              choices.uncategorised > 0 ? ` ${plural(choices.uncategorised, "product")} have no Shopify category, so this table does not cover them: set their category in Shopify.` : ""
            }`}
          </Text>
        </BlockStack>
        {choices.categories.length === 0 ? (
          <Text as="p" tone="subdued">
            No product of the catalog has a Shopify category.
          </Text>
        ) : (
          <BlockStack gap="200">
            {choices.categories.map((category) => (
              <InlineGrid key={category.id} columns={{ xs: 1, md: ["twoThirds", "oneThird"] }} gap="200" alignItems="center">
                <BlockStack>
                  <Text as="span" fontWeight="semibold">
                    {category.fullName}
                  </Text>
                  <Text as="span" tone="subdued" variant="bodySm">
                    {plural(category.products, "product")}
                  </Text>
                </BlockStack>
                <InlineStack gap="200" blockAlign="start" wrap={false}>
                  <TextField
                    label={`TikTok category id for ${category.fullName}`}
                    labelHidden
                    value={categoryFor[category.id] ?? ""}
                    onChange={(value) => setCategoryFor((current) => ({ ...current, [category.id]: value }))}
                    autoComplete="off"
                    inputMode="numeric"
                    placeholder="e.g. 601226"
                    error={fieldError(errors, `categoryMap.${category.id}`) ?? (suggestionErrors[category.id] || undefined)}
                  />
                  <Button
                    loading={suggesting === category.id}
                    disabled={suggesting !== null}
                    onClick={() => suggest.fetcher.submit({ intent: "tiktok-recommend", categoryId: category.id }, { method: "post" })}
                  >
                    Suggest
                  </Button>
                </InlineStack>
              </InlineGrid>
            ))}
          </BlockStack>
        )}
        <InlineStack align="end">
          <Button variant="primary" loading={save.busy} disabled={save.busy} onClick={submit}>
            Save mappings
          </Button>
        </InlineStack>
      </BlockStack>
    </Card>
  );
}

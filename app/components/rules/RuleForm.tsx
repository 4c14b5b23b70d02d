import { Banner, BlockStack, Box, Button, Card, Divider, FormLayout, InlineGrid, InlineStack, List, Select, Text, TextField } from "@shopify/polaris";
import { CHANNEL_IDS, type ChannelId } from "~/domain/channels/types";
import { CHANNEL_NAMES } from "~/domain/rules/describe";
import type { PathError } from "../channels/mapping-draft";
import { ProductPicker, type PickableProduct } from "../channels/ProductPicker";
import { errorAt, errorFor, isPlacedInRuleForm, SCOPE_OPTIONS, type RuleDraft, type ScopeKind } from "./rule-draft";

export interface ScopePickerState {
  products: PickableProduct[];
  search: string;
  onSearch: (search: string) => void;
  searching: boolean;
  /** The product picked for a product or variant scope, with its variants once loaded. */
  picked: { product: PickableProduct; variants: { id: string; title: string }[] | null } | null;
  onPick: (product: PickableProduct) => void;
  /** Titles of products and variants by id, for a scope loaded from the saved rules. */
  titles: Readonly<Record<string, string>>;
}

/**
 * One stock rule as a form. Every box shows the server's message for its own path (parseRules
 * names the rule and the field); anything else is listed above the form.
 */
export function RuleForm({
  draft,
  onChange,
  errors,
  isNew,
  saving,
  onSave,
  onCancel,
  picker,
}: {
  draft: RuleDraft;
  onChange: (draft: RuleDraft) => void;
  /** Errors relative to this rule ("reserve.percent"). */
  errors: readonly PathError[];
  isNew: boolean;
  saving: boolean;
  onSave: () => void;
  onCancel: () => void;
  picker: ScopePickerState;
}) {
  const set = <K extends keyof RuleDraft>(key: K) => (value: RuleDraft[K]) => onChange({ ...draft, [key]: value });
  const setChannel = (channel: ChannelId, key: keyof RuleDraft["channels"][ChannelId]) => (value: string) =>
    onChange({ ...draft, channels: { ...draft.channels, [channel]: { ...draft.channels[channel], [key]: value } } });
  const unplaced = errors.filter((error) => !isPlacedInRuleForm(error.path));

  return (
    <Card>
      <BlockStack gap="400">
        <Text as="h2" variant="headingMd">
          {isNew ? "New rule" : `Edit rule “${draft.id}”`}
        </Text>
        {unplaced.length > 0 ? (
          <Banner tone="critical" title="This rule has problems">
            <List type="bullet">
              {unplaced.map((error, index) => (
                <List.Item key={index}>{error.path ? `${error.path}: ${error.message}` : error.message}</List.Item>
              ))}
            </List>
          </Banner>
        ) : null}
        <FormLayout>
          <FormLayout.Group>
            <TextField label="Rule id" value={draft.id} onChange={set("id")} autoComplete="off" error={errorFor(errors, "id")} helpText="Named in the reasons and in error messages." />
            <TextField
              label="Markets"
              value={draft.markets}
              onChange={set("markets")}
              autoComplete="off"
              placeholder="Every market"
              error={errorFor(errors, "markets")}
              helpText="Country codes such as US, CA; empty for every market."
            />
          </FormLayout.Group>
          <TextField label="Description" value={draft.description} onChange={set("description")} autoComplete="off" error={errorFor(errors, "description")} />
        </FormLayout>
        <Divider />
        <ScopeFields draft={draft} onChange={onChange} error={errorFor(errors, "scope")} picker={picker} />
        <Divider />
        <BlockStack gap="200">
          <Text as="h3" variant="headingSm">
            Stock kept and shown
          </Text>
          <FormLayout>
            <FormLayout.Group condensed>
              <TextField
                label="Keep for the web store (units)"
                type="number"
                min={0}
                value={draft.reserveUnits}
                onChange={set("reserveUnits")}
                autoComplete="off"
                error={errorFor(errors, "reserve.units")}
              />
              <TextField
                label="…or percent of stock"
                type="number"
                min={0}
                max={100}
                suffix="%"
                value={draft.reservePercent}
                onChange={set("reservePercent")}
                autoComplete="off"
                error={errorFor(errors, "reserve.percent")}
                helpText="With both, the larger wins; percentages round up."
              />
            </FormLayout.Group>
            {errorAt(errors, "reserve") ? <Text as="p" tone="critical">{errorAt(errors, "reserve")}</Text> : null}
            <FormLayout.Group condensed>
              <TextField
                label="Floor"
                type="number"
                min={0}
                value={draft.floor}
                onChange={set("floor")}
                autoComplete="off"
                error={errorFor(errors, "floor")}
                helpText="At or below this stock, channels get 0."
              />
              <TextField
                label="Cap per channel"
                type="number"
                min={0}
                value={draft.cap}
                onChange={set("cap")}
                autoComplete="off"
                error={errorFor(errors, "cap")}
                helpText="Never more than this on any one channel."
              />
            </FormLayout.Group>
          </FormLayout>
        </BlockStack>
        <BlockStack gap="200">
          <Text as="h3" variant="headingSm">
            Per channel
          </Text>
          <Text as="p" tone="subdued">
            Weight is a channel&apos;s share of what is left (default 1, 2 = double share, 0 = campaign holds only). A channel&apos;s cap and floor replace the rule&apos;s for that channel.
          </Text>
          {errorAt(errors, "channels") ? <Text as="p" tone="critical">{errorAt(errors, "channels")}</Text> : null}
          {CHANNEL_IDS.map((channel) => (
            <InlineGrid key={channel} columns={{ xs: 1, sm: 4 }} gap="200" alignItems="end">
              <Box paddingBlockEnd="200">
                <Text as="span" fontWeight="medium">
                  {CHANNEL_NAMES[channel]}
                </Text>
              </Box>
              <TextField
                label={`${CHANNEL_NAMES[channel]} weight`}
                type="number"
                min={0}
                step={0.5}
                value={draft.channels[channel].weight}
                onChange={setChannel(channel, "weight")}
                autoComplete="off"
                placeholder="1"
                error={errorFor(errors, `channels.${channel}.weight`)}
              />
              <TextField
                label={`${CHANNEL_NAMES[channel]} cap`}
                type="number"
                min={0}
                value={draft.channels[channel].cap}
                onChange={setChannel(channel, "cap")}
                autoComplete="off"
                error={errorFor(errors, `channels.${channel}.cap`)}
              />
              <TextField
                label={`${CHANNEL_NAMES[channel]} floor`}
                type="number"
                min={0}
                value={draft.channels[channel].floor}
                onChange={setChannel(channel, "floor")}
                autoComplete="off"
                error={errorFor(errors, `channels.${channel}.floor`) ?? errorAt(errors, `channels.${channel}`)}
              />
            </InlineGrid>
          ))}
        </BlockStack>
        <Divider />
        <BlockStack gap="200">
          <Text as="h3" variant="headingSm">
            Selling past zero
          </Text>
          <FormLayout>
            <FormLayout.Group condensed>
              <TextField
                label="Continue selling: at most"
                type="number"
                min={0}
                suffix="units past zero"
                value={draft.continueSellingCap}
                onChange={set("continueSellingCap")}
                autoComplete="off"
                error={errorFor(errors, "continueSelling.cap") ?? errorAt(errors, "continueSelling")}
                helpText='For "Continue selling when out of stock": without a cap, channels get 0.'
              />
              <TextField
                label="Restock date"
                value={draft.restockDate}
                onChange={set("restockDate")}
                autoComplete="off"
                placeholder="2026-04-15"
                error={errorFor(errors, "continueSelling.restockDate")}
                helpText="When it is back, unless a restock metafield says so."
              />
            </FormLayout.Group>
            <FormLayout.Group condensed>
              <TextField
                label="Pre-orders: at most"
                type="number"
                min={0}
                value={draft.preorderCap}
                onChange={set("preorderCap")}
                autoComplete="off"
                error={errorFor(errors, "preorder.cap") ?? errorAt(errors, "preorder")}
                helpText="Units sold before release, beyond stock on hand."
              />
              <TextField
                label="Release date"
                value={draft.releaseDate}
                onChange={set("releaseDate")}
                autoComplete="off"
                placeholder="2027-01-12"
                error={errorFor(errors, "preorder.releaseDate")}
                helpText="Used when no pre-order plan or metafield gives one."
              />
            </FormLayout.Group>
          </FormLayout>
        </BlockStack>
        <InlineStack align="end" gap="200">
          <Button onClick={onCancel} disabled={saving}>
            Cancel
          </Button>
          <Button variant="primary" onClick={onSave} loading={saving}>
            Save rule
          </Button>
        </InlineStack>
      </BlockStack>
    </Card>
  );
}

function ScopeFields({ draft, onChange, error, picker }: { draft: RuleDraft; onChange: (draft: RuleDraft) => void; error: string | undefined; picker: ScopePickerState }) {
  const kind = draft.scopeKind;
  const setKind = (value: string) => onChange({ ...draft, scopeKind: value as ScopeKind, scopeValue: "" });
  const setValue = (value: string) => onChange({ ...draft, scopeValue: value });
  const savedTitle = draft.scopeValue ? picker.titles[draft.scopeValue] : undefined;
  const pickedProduct =
    picker.picked?.product ?? (kind === "product" && draft.scopeValue ? { id: draft.scopeValue, title: savedTitle ?? draft.scopeValue, variantCount: 0 } : null);

  return (
    <BlockStack gap="200">
      <Text as="h3" variant="headingSm">
        Applies to
      </Text>
      <Text as="p" tone="subdued">
        Each setting comes from the most specific rule that sets it: variant, then product, tag, product type, collection, whole shop. Within one level the rule further down the list wins.
      </Text>
      <FormLayout>
        <FormLayout.Group>
          <Select label="Scope" options={SCOPE_OPTIONS} value={kind} onChange={setKind} error={kind === "shop" ? error : undefined} />
          {kind === "collection" ? (
            <TextField label="Collection id" value={draft.scopeValue} onChange={setValue} autoComplete="off" placeholder="4123456789" error={error} helpText="The number in the collection's admin URL, or its GID." />
          ) : kind === "productType" ? (
            <TextField label="Product type" value={draft.scopeValue} onChange={setValue} autoComplete="off" error={error} />
          ) : kind === "tag" ? (
            <TextField label="Tag" value={draft.scopeValue} onChange={setValue} autoComplete="off" placeholder="limited-edition" error={error} />
          ) : kind === "product" || kind === "variant" ? (
            <BlockStack gap="200">
              <ProductPicker
                label={kind === "product" ? "Product" : "Product of the variant"}
                products={picker.products}
                search={picker.search}
                selected={pickedProduct}
                onSelect={(product) => {
                  picker.onPick(product);
                  if (kind === "product") setValue(product.id);
                  else setValue("");
                }}
                onSearch={picker.onSearch}
                loading={picker.searching}
              />
              {kind === "variant" ? (
                picker.picked?.variants ? (
                  <Select
                    label="Variant"
                    options={[{ label: "Choose a variant", value: "" }, ...picker.picked.variants.map((variant) => ({ label: variant.title, value: variant.id }))]}
                    value={draft.scopeValue}
                    onChange={setValue}
                    error={error}
                  />
                ) : draft.scopeValue ? (
                  <Text as="p">
                    Variant: {savedTitle ?? draft.scopeValue}
                    {error ? <Text as="span" tone="critical">{` ${error}`}</Text> : null}
                  </Text>
                ) : (
                  <Text as="p" tone={error ? "critical" : "subdued"}>
                    {error ?? "Pick the product, then the variant."}
                  </Text>
                )
              ) : error ? (
                <Text as="p" tone="critical">
                  {error}
                </Text>
              ) : null}
            </BlockStack>
          ) : (
            <Text as="p" tone="subdued">
              Every product and variant of the shop.
            </Text>
          )}
        </FormLayout.Group>
      </FormLayout>
    </BlockStack>
  );
}

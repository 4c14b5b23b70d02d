import { BlockStack, Button, Card, ChoiceList, FormLayout, InlineStack, Select, Text, TextField } from "@shopify/polaris";
import { CHANNEL_IDS, type ChannelId } from "~/domain/channels/types";
import { DEFAULT_LOW_STOCK_AT } from "~/domain/rules";
import { CHANNEL_NAMES } from "~/domain/rules/describe";
import type { PathError } from "../channels/mapping-draft";
import { errorFor, type SettingsDraft } from "./rule-draft";

const META_PREORDER_OPTIONS = [
  { label: "Pre-order (default)", value: "" },
  { label: "Pre-order", value: "preorder" },
  { label: "Available for order", value: "available for order" },
];

/** The file-wide settings: which channels share the stock, the low-stock line and Meta's pre-order spelling. */
export function RulesSettingsCard({
  draft,
  onChange,
  errors,
  dirty,
  saving,
  onSave,
  onReset,
}: {
  draft: SettingsDraft;
  onChange: (draft: SettingsDraft) => void;
  /** Errors by path from the root of the rules file ("lowStockAt"). */
  errors: readonly PathError[];
  dirty: boolean;
  saving: boolean;
  onSave: () => void;
  onReset: () => void;
}) {
  return (
    <Card>
      <BlockStack gap="400">
        <BlockStack gap="100">
          <Text as="h2" variant="headingMd">
            Settings
          </Text>
          <Text as="p" tone="subdued">
            Every channel in play takes part in the split, so list only the channels the shop sells on: a channel left in costs the others stock.
          </Text>
        </BlockStack>
        <FormLayout>
          <ChoiceList
            title="Channels that share the stock"
            allowMultiple
            choices={CHANNEL_IDS.map((channel) => ({ label: CHANNEL_NAMES[channel], value: channel }))}
            selected={draft.channels}
            onChange={(selected) => onChange({ ...draft, channels: selected as ChannelId[] })}
            error={errorFor(errors, "channels")}
          />
          <Text as="p" tone="subdued">
            {draft.channels.length === 0 ? "None ticked: every channel shares the stock." : `${draft.channels.length} of ${CHANNEL_IDS.length} channels share the stock; the others get 0 unless a campaign holds units for them.`}
          </Text>
          <FormLayout.Group condensed>
            <TextField
              label="Low stock at"
              type="number"
              min={0}
              suffix="units or fewer"
              value={draft.lowStockAt}
              onChange={(lowStockAt) => onChange({ ...draft, lowStockAt })}
              placeholder={String(DEFAULT_LOW_STOCK_AT)}
              autoComplete="off"
              error={errorFor(errors, "lowStockAt")}
              helpText="Shoppers read “Only 3 left”, and promoted items running this low get a warning."
            />
            <Select
              label="Meta shows a pre-order as"
              options={META_PREORDER_OPTIONS}
              value={draft.metaPreorder}
              onChange={(metaPreorder) => onChange({ ...draft, metaPreorder })}
              error={errorFor(errors, "preorder.meta")}
              helpText="Shopify's own channel calls it “Available for order”."
            />
          </FormLayout.Group>
        </FormLayout>
        <InlineStack align="end" gap="200">
          <Button onClick={onReset} disabled={!dirty || saving}>
            Discard
          </Button>
          <Button variant="primary" onClick={onSave} disabled={!dirty} loading={saving}>
            Save settings
          </Button>
        </InlineStack>
      </BlockStack>
    </Card>
  );
}

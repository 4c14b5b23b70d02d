import { Badge, Banner, BlockStack, Box, DescriptionList, InlineStack, List, Select, Spinner, Text } from "@shopify/polaris";
import { useState } from "react";
import type { MappingPreview } from "~/.server/services/channel-feeds/mapping-editor";
import type { ItemFieldChange } from "~/domain/channels/mapping/diff";
import { MAPPABLE_FIELDS } from "~/domain/channels/mapping/schema";
import type { Diagnostic, MappedItem } from "~/domain/channels/types";
import { DiagnosticGroup, groupDiagnostics, READINESS } from "./ProductChannelsCard";

const FIELD_LABELS: Record<string, string> = Object.fromEntries(MAPPABLE_FIELDS.map((info) => [info.field, info.label]));

/** "salePriceEffectiveDate" → "Sale price effective date" for fields no rule writes. */
export function itemFieldLabel(field: string): string {
  const known = FIELD_LABELS[field];
  if (known) return known;
  const words = field.replace(/([a-z0-9])([A-Z])/g, "$1 $2").toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** Fields of the mapped item shown in the preview, in this order. */
const SHOWN_FIELDS = ["title", "description", "brand", "link", "price", "salePrice", "availability", "gtin", "color", "size", "material", "googleProductCategory", "channelCategoryId", "productType"] as const;

function shownValue(item: MappedItem, field: (typeof SHOWN_FIELDS)[number]): string | null {
  const value = item[field];
  if (value === null) return null;
  if (typeof value === "object") return `${value.amount} ${value.currencyCode}`;
  return value;
}

/**
 * Before → after for each changed field: what saving the draft does to this product. Variants
 * usually change alike, so items with the same changes share one list.
 */
export function FieldChanges({ changes, items }: { changes: MappingPreview["changes"]; items: MappedItem[] }) {
  if (changes.length === 0) {
    return (
      <Text as="p" tone="subdued">
        The draft changes nothing for this product.
      </Text>
    );
  }
  const groups = new Map<string, { fields: ItemFieldChange[]; itemIds: string[] }>();
  for (const change of changes) {
    const key = JSON.stringify(change.fields);
    const group = groups.get(key);
    if (group) group.itemIds.push(change.itemId);
    else groups.set(key, { fields: change.fields, itemIds: [change.itemId] });
  }
  return (
    <BlockStack gap="300">
      {[...groups.values()].map((group) => (
        <BlockStack gap="150" key={group.itemIds[0]}>
          <Text as="p" variant="bodySm" tone="subdued">
            {describeItems(group.itemIds, items)}
          </Text>
          {group.fields.map((field) => (
            <ChangeRow key={field.field} change={field} />
          ))}
        </BlockStack>
      ))}
    </BlockStack>
  );
}

/** "Item 451… (SKU A-1)", or "3 items: SKU A-1, A-2, A-3" (at most four named). */
function describeItems(itemIds: string[], items: MappedItem[]): string {
  const name = (id: string) => items.find((item) => item.id === id)?.sku ?? id;
  if (itemIds.length === 1) {
    const [id = ""] = itemIds;
    const sku = items.find((item) => item.id === id)?.sku;
    return `Item ${id}${sku ? ` · SKU ${sku}` : ""}`;
  }
  const named = itemIds.slice(0, 4).map(name).join(", ");
  return `${itemIds.length} items: ${named}${itemIds.length > 4 ? ` and ${itemIds.length - 4} more` : ""}`;
}

function ChangeRow({ change }: { change: ItemFieldChange }) {
  return (
    <div data-testid={`preview-change-${change.field}`}>
      <Box paddingInlineStart="300" borderInlineStartWidth="025" borderColor="border-info">
        <BlockStack gap="050">
          <Text as="p" variant="bodySm" fontWeight="semibold">
            {itemFieldLabel(change.field)}
          </Text>
          <Text as="p" variant="bodySm" tone="subdued" breakWord>
            <span style={{ textDecoration: "line-through" }} aria-label={`before: ${change.before ?? "empty"}`}>
              {shorten(change.before) ?? "(empty)"}
            </span>
          </Text>
          <Text as="p" variant="bodySm" breakWord>
            <span data-testid="preview-after">{shorten(change.after) ?? "(empty)"}</span>
          </Text>
        </BlockStack>
      </Box>
    </div>
  );
}

function shorten(value: string | null): string | null {
  if (value === null) return null;
  return value.length > 400 ? `${value.slice(0, 399)}…` : value;
}

function diagnosticKey(diagnostic: Diagnostic): string {
  return `${diagnostic.code}|${diagnostic.itemId}|${diagnostic.field}`;
}

/** Problems the draft removes and adds, compared with the saved rules (by code, item and field). */
export function diagnosticDelta(preview: MappingPreview): { fixed: number; introduced: number } {
  const savedKeys = new Set(preview.saved.diagnostics.map(diagnosticKey));
  const draftKeys = new Set(preview.draft.diagnostics.map(diagnosticKey));
  return {
    fixed: preview.saved.diagnostics.filter((diagnostic) => !draftKeys.has(diagnosticKey(diagnostic))).length,
    introduced: preview.draft.diagnostics.filter((diagnostic) => !savedKeys.has(diagnosticKey(diagnostic))).length,
  };
}

/**
 * The preview product under the saved rules and under the draft: readiness before and after, what
 * changes, the mapped item, and the draft's problems (with the ones it fixes counted).
 */
export function MappingPreviewPanel({ preview, loading, embedded }: { preview: MappingPreview; loading: boolean; embedded: boolean }) {
  const { saved, draft } = preview;
  const [itemId, setItemId] = useState<string | null>(null);
  const item = draft.items.find((candidate) => candidate.id === itemId) ?? draft.items[0];
  const changedFields = new Set(preview.changes.find((change) => change.itemId === item?.id)?.fields.map((field) => field.field) ?? []);

  const { fixed, introduced } = diagnosticDelta(preview);
  const errors = groupDiagnostics(draft.diagnostics.filter((d) => d.severity === "error"));
  const warnings = groupDiagnostics(draft.diagnostics.filter((d) => d.severity === "warning"));

  return (
    <BlockStack gap="400">
      <InlineStack gap="200" blockAlign="center">
        <Text as="span" variant="bodySm" tone="subdued">
          Saved rules
        </Text>
        <Badge tone={READINESS[saved.readiness].tone}>{READINESS[saved.readiness].label}</Badge>
        <Text as="span" variant="bodySm" tone="subdued">
          → Draft
        </Text>
        <Badge tone={READINESS[draft.readiness].tone}>{READINESS[draft.readiness].label}</Badge>
        <Text as="span" variant="bodySm" tone="subdued" numeric>
          {`${draft.counts.itemsReady} of ${draft.counts.itemsTotal} items ready`}
        </Text>
        {loading ? <Spinner size="small" accessibilityLabel="Updating the preview" /> : null}
      </InlineStack>

      {preview.summary.length > 0 ? (
        <BlockStack gap="100">
          <Text as="h3" variant="headingSm">
            Your edits
          </Text>
          <List type="bullet">
            {preview.summary.map((sentence) => (
              <List.Item key={sentence}>{sentence}</List.Item>
            ))}
          </List>
        </BlockStack>
      ) : null}

      <BlockStack gap="200">
        <Text as="h3" variant="headingSm">
          What changes for this product
        </Text>
        <FieldChanges changes={preview.changes} items={draft.items} />
      </BlockStack>

      {item ? (
        <BlockStack gap="200">
          <InlineStack align="space-between" blockAlign="center" gap="200">
            <Text as="h3" variant="headingSm">
              The mapped item
            </Text>
            {draft.items.length > 1 ? (
              <Select
                label="Item"
                labelInline
                options={draft.items.map((candidate) => ({ label: candidate.sku ? `${candidate.id} (${candidate.sku})` : candidate.id, value: candidate.id }))}
                value={item.id}
                onChange={setItemId}
              />
            ) : null}
          </InlineStack>
          <DescriptionList
            gap="tight"
            items={SHOWN_FIELDS.map((field) => {
              const value = shownValue(item, field);
              return {
                term: (
                  <InlineStack gap="100" blockAlign="center">
                    <span>{itemFieldLabel(field)}</span>
                    {changedFields.has(field) ? <Badge tone="info" size="small">Changed</Badge> : null}
                  </InlineStack>
                ),
                description: (
                  <span style={{ overflowWrap: "anywhere" }} data-testid={`preview-item-${field}`}>
                    {value === null ? <Text as="span" tone="subdued">Not set</Text> : field === "description" ? shorten(value) : value}
                  </span>
                ),
              };
            })}
          />
        </BlockStack>
      ) : (
        <Text as="p" tone="subdued">
          This product has no items for the channel; the reasons are below.
        </Text>
      )}

      {draft.excluded.length > 0 ? (
        <Banner tone="info" title={`${draft.excluded.length} ${draft.excluded.length === 1 ? "item is" : "items are"} left out`}>
          <List type="bullet">
            {[...new Set(draft.excluded.map((entry) => entry.reason))].map((reason) => (
              <List.Item key={reason}>{reason}</List.Item>
            ))}
          </List>
        </Banner>
      ) : null}

      <BlockStack gap="200">
        <InlineStack gap="200" blockAlign="center">
          <Text as="h3" variant="headingSm">
            Problems under the draft
          </Text>
          {fixed > 0 ? <Badge tone="success">{`${fixed} fixed`}</Badge> : null}
          {introduced > 0 ? <Badge tone="critical">{`${introduced} new`}</Badge> : null}
        </InlineStack>
        {errors.length === 0 && warnings.length === 0 ? (
          <Text as="p" tone="subdued">
            None: {draft.label} accepts every item of this product.
          </Text>
        ) : null}
        <DiagnosticGroup title="Errors" note="These items stay out of the feed." groups={errors} embedded={embedded} />
        <DiagnosticGroup title="Warnings" note="These items go into the feed." groups={warnings} embedded={embedded} />
      </BlockStack>
    </BlockStack>
  );
}

import { Badge, BlockStack, Box, Button, Card, Collapsible, DescriptionList, Divider, InlineStack, Select, Text } from "@shopify/polaris";
import { Fragment, useId, useState } from "react";
import type { ProductChannelView } from "~/.server/services/channel-feeds/product-channels";
import type { Diagnostic, FixTarget } from "~/domain/channels/types";
import { FixTargetLink } from "./FixTargetLink";
import { formatCount } from "./format";

type Readiness = ProductChannelView["readiness"];

export const READINESS: Record<Readiness, { label: string; tone: "success" | "warning" | "critical" | undefined }> = {
  ready: { label: "Ready", tone: "success" },
  partial: { label: "Partly ready", tone: "warning" },
  blocked: { label: "Blocked", tone: "critical" },
  excluded: { label: "Excluded", tone: undefined },
};

/**
 * The product as every channel sees it: answers a marketer's "is this ready to promote?" with a
 * badge per channel, and says what to fix and where for everything that is not.
 */
export function ProductChannelsCard({ channels, embedded, productId }: { channels: ProductChannelView[]; embedded: boolean; productId: string }) {
  const readyCount = channels.filter((channel) => channel.readiness === "ready").length;
  return (
    <div data-testid="product-channels">
      <Card>
        <BlockStack gap="400">
          <InlineStack align="space-between" blockAlign="center" gap="200">
            <Text as="h2" variant="headingMd">
              Channels
            </Text>
            <Text as="span" tone="subdued">
              {`Ready on ${readyCount} of ${channels.length} channels`}
            </Text>
          </InlineStack>
          {channels.map((channel, index) => (
            <Fragment key={`${channel.channel}|${channel.market}`}>
              {index > 0 ? <Divider /> : null}
              <ChannelSection channel={channel} embedded={embedded} productId={productId} />
            </Fragment>
          ))}
        </BlockStack>
      </Card>
    </div>
  );
}

function ChannelSection({ channel, embedded, productId }: { channel: ProductChannelView; embedded: boolean; productId: string }) {
  const readiness = READINESS[channel.readiness];
  const { counts } = channel;
  const errors = groupDiagnostics(channel.diagnostics.filter((d) => d.severity === "error"));
  const warnings = groupDiagnostics(channel.diagnostics.filter((d) => d.severity === "warning"));

  return (
    <BlockStack gap="300">
      <InlineStack align="space-between" blockAlign="center" gap="200">
        <InlineStack gap="200" blockAlign="center">
          <Text as="h3" variant="headingSm">
            {channel.label}
          </Text>
          <Badge tone={readiness.tone}>{readiness.label}</Badge>
        </InlineStack>
        <Text as="span" variant="bodySm" tone="subdued" numeric>
          {`${formatCount(counts.itemsReady)} of ${formatCount(counts.itemsTotal)} ready · ${formatCount(counts.itemsWithErrors)} with errors · ${formatCount(counts.itemsExcluded)} excluded`}
        </Text>
      </InlineStack>
      <DiagnosticGroup title="Errors" note="These items are left out of the feed until fixed." groups={errors} embedded={embedded} currentProductId={productId} />
      <DiagnosticGroup title="Warnings" note="These items are in the feed, but the channel may show them less or flag them." groups={warnings} embedded={embedded} currentProductId={productId} />
      {channel.excluded.length > 0 ? (
        <BlockStack gap="100">
          <Text as="h4" variant="headingXs">
            {`Excluded (${formatCount(channel.excluded.length)})`}
          </Text>
          {groupReasons(channel.excluded).map(({ reason, itemIds }) => (
            <Text as="p" variant="bodySm" key={reason}>
              {reason}{" "}
              <Text as="span" tone="subdued">
                {itemIds.length === 1 ? `(item ${itemIds[0]})` : `(${formatCount(itemIds.length)} items)`}
              </Text>
            </Text>
          ))}
        </BlockStack>
      ) : null}
      {channel.records.length > 0 ? <ReceivedRecords channel={channel} /> : null}
    </BlockStack>
  );
}

export interface DiagnosticGroupRow {
  first: Diagnostic;
  itemIds: string[];
}

/** Variants of one product usually share a problem: one row per problem, with how many items have it. */
export function groupDiagnostics(diagnostics: Diagnostic[]): DiagnosticGroupRow[] {
  const groups = new Map<string, DiagnosticGroupRow>();
  for (const diagnostic of diagnostics) {
    const key = `${diagnostic.code}|${diagnostic.field}|${diagnostic.value ?? ""}|${diagnostic.message}`;
    const group = groups.get(key);
    if (group) group.itemIds.push(diagnostic.itemId);
    else groups.set(key, { first: diagnostic, itemIds: [diagnostic.itemId] });
  }
  return [...groups.values()];
}

function groupReasons(excluded: ProductChannelView["excluded"]): { reason: string; itemIds: string[] }[] {
  const groups = new Map<string, string[]>();
  for (const entry of excluded) groups.set(entry.reason, [...(groups.get(entry.reason) ?? []), entry.itemId]);
  return [...groups].map(([reason, itemIds]) => ({ reason, itemIds }));
}

export function DiagnosticGroup({
  title,
  note,
  groups,
  embedded,
  currentProductId = null,
}: {
  title: string;
  note: string;
  groups: DiagnosticGroupRow[];
  embedded: boolean;
  /** The product page being shown: a link back to it would lead nowhere. */
  currentProductId?: string | null;
}) {
  if (groups.length === 0) return null;
  const isError = groups[0]?.first.severity === "error";
  return (
    <BlockStack gap="200">
      <BlockStack gap="050">
        <Text as="h4" variant="headingXs" tone={isError ? "critical" : "caution"}>
          {`${title} (${formatCount(groups.length)})`}
        </Text>
        <Text as="p" variant="bodySm" tone="subdued">
          {note}
        </Text>
      </BlockStack>
      {groups.map(({ first, itemIds }) => (
        <Box key={`${first.code}|${first.field}|${first.value ?? ""}|${first.message}`} paddingInlineStart="300" borderInlineStartWidth="025" borderColor={isError ? "border-critical" : "border-caution"}>
          <BlockStack gap="100">
            <Text as="p" breakWord>
              {first.message}
            </Text>
            <InlineStack gap="200" blockAlign="center">
              <Text as="span" variant="bodySm" tone="subdued">
                <code>{first.code}</code> · field <code>{first.field}</code>
                {itemIds.length > 1 ? ` · ${formatCount(itemIds.length)} items` : ""}
              </Text>
            </InlineStack>
            {first.value !== null ? (
              <Text as="p" variant="bodySm" breakWord>
                Value: <code style={{ overflowWrap: "anywhere" }}>{first.value}</code>
              </Text>
            ) : (
              <Text as="p" variant="bodySm" tone="subdued">
                Value: missing
              </Text>
            )}
            <Text as="p" variant="bodySm" breakWord>
              <Text as="span" fontWeight="semibold">
                Fix:
              </Text>{" "}
              {first.fix}
            </Text>
            {isLinkToSelf(first.fixTarget, embedded, currentProductId) ? null : (
              <div>
                <FixTargetLink target={first.fixTarget} embedded={embedded} />
              </div>
            )}
          </BlockStack>
        </Box>
      ))}
    </BlockStack>
  );
}

/** In the demo, product fixes link to Shelfcast's product page: pointless on that very page. */
function isLinkToSelf(target: FixTarget, embedded: boolean, currentProductId: string | null): boolean {
  return !embedded && currentProductId !== null && (target.kind === "shopify-product" || target.kind === "shopify-variant") && target.productId === currentProductId;
}

/** Key fields first; the rest of a flat record follows in the channel's own order. */
const KEY_FIELDS = ["id", "item_group_id", "title", "price", "sale_price", "availability", "link", "image_link", "brand", "gtin", "color", "size"];

function ReceivedRecords({ channel }: { channel: ProductChannelView }) {
  const [open, setOpen] = useState(false);
  const [selected, setSelected] = useState(channel.records[0]?.key ?? "");
  const id = useId();
  const record = channel.records.find((r) => r.key === selected) ?? channel.records[0];
  const isPayload = channel.channel === "tiktok";

  return (
    <BlockStack gap="200">
      <div>
        <Button variant="plain" disclosure={open ? "up" : "down"} onClick={() => setOpen((value) => !value)} ariaExpanded={open} ariaControls={id}>
          {`What ${channel.label} receives (${formatCount(channel.records.length)} ${channel.records.length === 1 ? "record" : "records"})`}
        </Button>
      </div>
      <Collapsible id={id} open={open} transition={{ duration: "150ms", timingFunction: "ease-in-out" }}>
        {record ? (
          <BlockStack gap="200">
            {channel.records.length > 1 ? (
              <Select
                label="Record"
                labelInline
                options={channel.records.map((r) => ({ label: String(r.fields.title ?? r.key), value: r.key }))}
                value={record.key}
                onChange={setSelected}
              />
            ) : null}
            {isPayload ? (
              <Box background="bg-surface-secondary" padding="300" borderRadius="200">
                <pre style={{ margin: 0, fontSize: 12, lineHeight: 1.5, maxHeight: 420, overflow: "auto", whiteSpace: "pre-wrap", overflowWrap: "anywhere" }}>{JSON.stringify(record.fields, null, 2)}</pre>
              </Box>
            ) : (
              <DescriptionList items={orderedFields(record.fields).map(([term, value]) => ({ term, description: <span style={{ overflowWrap: "anywhere", whiteSpace: "pre-line" }}>{value}</span> }))} gap="tight" />
            )}
          </BlockStack>
        ) : null}
      </Collapsible>
    </BlockStack>
  );
}

function orderedFields(fields: Record<string, unknown>): [string, string][] {
  const entries = Object.entries(fields).filter(([, value]) => value !== "" && value !== null && value !== undefined && !(Array.isArray(value) && value.length === 0));
  const rank = (key: string) => {
    const index = KEY_FIELDS.indexOf(key);
    return index === -1 ? KEY_FIELDS.length : index;
  };
  return entries
    .map(([key, value], index) => ({ key, value, index }))
    .sort((a, b) => rank(a.key) - rank(b.key) || a.index - b.index)
    .map(({ key, value }) => [key, Array.isArray(value) ? value.join("\n") : typeof value === "string" ? value : JSON.stringify(value)]);
}

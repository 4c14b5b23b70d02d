import { BlockStack, DataTable, Select, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import { InlineErrors } from "~/components/channels/InlineErrors";
import { PLATFORM_LABELS } from "~/domain/tracking/platforms";
import type { Platform, PlanDestinationEvent, TrackingPlan, ValueDefinition } from "~/domain/tracking/types";
import { cellErrors, cellOf, parseParameterList, planRows, setCell, type PathError, type PlanRow } from "./plan-draft";

const VALUE_DEFINITIONS: { label: string; value: ValueDefinition }[] = [
  { label: "No value", value: "none" },
  { label: "Unit price", value: "unit_price" },
  { label: "Line total", value: "line_total" },
  { label: "Subtotal", value: "subtotal" },
  { label: "Total (tax, shipping)", value: "total" },
];

/**
 * The plan as a table: one row per Shopify event, one column per platform; each cell is the event
 * name sent to that platform, its parameters and what `value` means. An empty name means "not sent".
 */
export function EventMatrix({ plan, errors, onChange }: { plan: TrackingPlan; errors: readonly PathError[]; onChange: (plan: TrackingPlan) => void }) {
  const platforms = plan.platforms.map((settings) => settings.platform);
  const rows = planRows(plan).map((row) => [
    // DataTable cells never wrap; the longest Shopify event names would widen the table past the page.
    <div key="event" style={{ whiteSpace: "normal", overflowWrap: "anywhere", maxWidth: "11rem" }}>
      <Text as="span" fontWeight="semibold">
        <code>{row.shopifyEvent}</code>
      </Text>
    </div>,
    ...platforms.map((platform) => <EventCell key={platform} plan={plan} row={row} platform={platform} errors={errors} onChange={onChange} />),
  ]);
  return (
    <DataTable
      columnContentTypes={["text", ...platforms.map(() => "text" as const)]}
      headings={["Shopify event", ...platforms.map((platform) => PLATFORM_LABELS[platform])]}
      rows={rows}
      verticalAlign="top"
    />
  );
}

function EventCell({ plan, row, platform, errors, onChange }: { plan: TrackingPlan; row: PlanRow; platform: Platform; errors: readonly PathError[]; onChange: (plan: TrackingPlan) => void }) {
  const cell = cellOf(plan, row, platform);
  const destination = cell?.destination ?? null;
  const label = `${row.shopifyEvent} on ${PLATFORM_LABELS[platform]}`;
  const change = (next: Partial<PlanDestinationEvent> | null) => onChange(setCell(plan, row, platform, next));

  return (
    <div style={{ width: "10rem", whiteSpace: "normal" }} data-testid={`plan-cell-${row.shopifyEvent}-${platform}`}>
      <BlockStack gap="100">
        <TextField
          label={`${label}: event name`}
          labelHidden
          autoComplete="off"
          placeholder="not sent"
          value={destination?.eventName ?? ""}
          // An emptied name keeps the cell's parameters while the merchant retypes; saving drops it (not sent).
          onChange={(eventName) => (destination || eventName !== "" ? change({ eventName }) : undefined)}
        />
        {destination ? (
          <>
            <ParametersField
              // A new saved list (a commit, a discard, a reload) starts the field again from it.
              key={destination.parameters.join(",")}
              label={`${label}: parameters`}
              parameters={destination.parameters}
              onCommit={(parameters) => change({ parameters })}
            />
            <Select
              label={`${label}: value`}
              labelHidden
              options={VALUE_DEFINITIONS}
              value={destination.valueDefinition}
              onChange={(value) => change({ valueDefinition: value as ValueDefinition })}
            />
          </>
        ) : null}
        {cell && cell.others > 0 ? (
          <Text as="p" variant="bodySm" tone="caution">
            {`${cell.others} more ${platform} ${cell.others === 1 ? "destination" : "destinations"} for this event: edit them in JSON`}
          </Text>
        ) : null}
        <InlineErrors errors={cellErrors(errors, cell)} />
      </BlockStack>
    </div>
  );
}

/** Comma- or space-separated keys, kept as typed until the field loses focus (so a trailing comma survives). */
function ParametersField({ label, parameters, onCommit }: { label: string; parameters: readonly string[]; onCommit: (parameters: string[]) => void }) {
  const joined = parameters.join(", ");
  const [text, setText] = useState(joined);
  return (
    <TextField
      label={label}
      labelHidden
      autoComplete="off"
      multiline={2}
      placeholder="no parameters"
      value={text}
      onChange={setText}
      onBlur={() => {
        const next = parseParameterList(text);
        if (next.join(", ") !== joined) onCommit(next);
        else setText(joined);
      }}
    />
  );
}

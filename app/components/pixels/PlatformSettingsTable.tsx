import { BlockStack, Checkbox, DataTable, InlineStack, Select, Text, TextField } from "@shopify/polaris";
import { InlineErrors } from "~/components/channels/InlineErrors";
import { PLATFORM_LABELS } from "~/domain/tracking/platforms";
import type { AttributionWindow, ConsentPurpose, PlanPlatformSettings, TrackingPlan } from "~/domain/tracking/types";
import { platformErrors, setPlatform, type PathError } from "./plan-draft";

const PURPOSES: { label: string; value: ConsentPurpose }[] = [
  { label: "Marketing", value: "marketing" },
  { label: "Analytics", value: "analytics" },
  { label: "Preferences", value: "preferences" },
  { label: "Sale of data", value: "sale_of_data" },
];
const CONTENT_TYPES = [
  { label: "product (variant ids)", value: "product" },
  { label: "product_group (product ids)", value: "product_group" },
];

/** "" → null (no window), anything else → the number typed (the server reports what is not a whole number of days). */
function daysFrom(text: string): number | null {
  return text.trim() === "" ? null : Number(text);
}

/** Per platform: on or off, the consent purpose it falls under, server-side forwarding, id granularity, attribution window. */
export function PlatformSettingsTable({ plan, errors, onChange }: { plan: TrackingPlan; errors: readonly PathError[]; onChange: (plan: TrackingPlan) => void }) {
  const update = (settings: PlanPlatformSettings, change: Partial<PlanPlatformSettings>) => onChange(setPlatform(plan, settings.platform, change));
  const updateWindow = (settings: PlanPlatformSettings, change: Partial<AttributionWindow>) =>
    update(settings, { attributionWindow: { clickDays: null, viewDays: null, ...settings.attributionWindow, ...change } });

  const rows = plan.platforms.map((settings) => {
    const label = PLATFORM_LABELS[settings.platform];
    const window = settings.attributionWindow;
    return [
      <BlockStack gap="100" key="platform">
        <Text as="span" fontWeight="semibold">
          {label}
        </Text>
        <InlineErrors errors={platformErrors(errors, plan, settings.platform)} />
      </BlockStack>,
      <Checkbox key="enabled" label={`${label} enabled`} labelHidden checked={settings.enabled} onChange={(enabled) => update(settings, { enabled })} />,
      <Select key="purpose" label={`${label} consent purpose`} labelHidden options={PURPOSES} value={settings.purpose} onChange={(purpose) => update(settings, { purpose: purpose as ConsentPurpose })} />,
      <Checkbox
        key="server"
        label={`${label} server-side`}
        labelHidden
        checked={settings.serverSide}
        disabled={settings.platform === "ga4"}
        onChange={(serverSide) => update(settings, { serverSide })}
      />,
      <Select
        key="content"
        label={`${label} content type`}
        labelHidden
        options={CONTENT_TYPES}
        value={settings.contentType}
        onChange={(contentType) => update(settings, { contentType: contentType as PlanPlatformSettings["contentType"] })}
      />,
      <InlineStack key="window" gap="100" wrap={false} blockAlign="center">
        <div style={{ width: "5rem" }}>
          <TextField
            label={`${label} click window (days)`}
            labelHidden
            autoComplete="off"
            type="number"
            value={window === null || window.clickDays === null ? "" : String(window.clickDays)}
            onChange={(text) => updateWindow(settings, { clickDays: daysFrom(text) })}
          />
        </div>
        <Text as="span" tone="subdued">
          days click,
        </Text>
        <div style={{ width: "5rem" }}>
          <TextField
            label={`${label} view window (days)`}
            labelHidden
            autoComplete="off"
            type="number"
            placeholder="—"
            value={window === null || window.viewDays === null ? "" : String(window.viewDays)}
            onChange={(text) => updateWindow(settings, { viewDays: daysFrom(text) })}
          />
        </div>
        <Text as="span" tone="subdued">
          view
        </Text>
      </InlineStack>,
    ];
  });

  return (
    <DataTable
      columnContentTypes={["text", "text", "text", "text", "text", "text"]}
      headings={["Platform", "Enabled", "Consent purpose", "Server-side", "Content type", "Attribution window"]}
      rows={rows}
      verticalAlign="middle"
    />
  );
}

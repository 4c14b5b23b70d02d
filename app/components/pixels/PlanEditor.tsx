import { Banner, BlockStack, Button, Card, InlineStack, List, Select, Text, TextField } from "@shopify/polaris";
import { useState, type ReactNode } from "react";
import { InlineErrors } from "~/components/channels/InlineErrors";
import { ID_SCHEME_NAMES } from "~/domain/channels/settings";
import { parseTrackingPlan } from "~/domain/tracking/plan-schema";
import type { CurrencySource, TrackingPlan } from "~/domain/tracking/types";
import { EventMatrix } from "./EventMatrix";
import { errorsUnder, planJson, withoutEmptyDestinations, type PathError } from "./plan-draft";
import { PlatformSettingsTable } from "./PlatformSettingsTable";

const ID_SCHEME_LABELS: Record<(typeof ID_SCHEME_NAMES)[number], string> = {
  "variant-id": "Variant id (the feeds' default)",
  sku: "SKU, else variant id",
  "shopify-channel": "shopify_<country>_<product>_<variant>",
};
const CURRENCY_SOURCES: { label: string; value: CurrencySource }[] = [
  { label: "Presentment: the currency of the same price as the value", value: "presentment" },
  { label: "Shop currency", value: "shop" },
];

/** Paths the form shows beside their control; anything else is listed above the tables. */
function isPlacedInForm(path: string): boolean {
  return /^(events\[\d+\]\.destinations\[\d+\]|platforms\[\d+\]|idScheme|currencySource|customEventPrefix)/.test(path);
}

export interface PlanEditorProps {
  saved: TrackingPlan;
  /** Errors of the last save attempt, by plan path. */
  errors: readonly PathError[];
  saving: boolean;
  onSave: (planText: string) => void;
  /** Shown above the editor (save conflicts and failures). */
  banner: ReactNode;
}

/**
 * The tracking plan as two editable tables (platforms, then Shopify events × platforms) and the
 * plan-wide settings, or as JSON. Saving sends the whole plan; the server validates it and answers
 * errors by path, shown beside the control they belong to. Remount (key) to start again from `saved`.
 */
export function PlanEditor({ saved, errors, saving, onSave, banner }: PlanEditorProps) {
  const [draft, setDraft] = useState<TrackingPlan>(saved);
  const [jsonMode, setJsonMode] = useState(false);
  const [jsonText, setJsonText] = useState(() => planJson(saved));
  const [jsonProblem, setJsonProblem] = useState<string | null>(null);

  const savedText = planJson(saved);
  const dirty = jsonMode ? jsonText !== savedText : planJson(draft) !== savedText;
  const unplaced = jsonMode ? errors : errors.filter((error) => !isPlacedInForm(error.path));

  const save = () => {
    if (jsonMode) {
      onSave(jsonText);
      return;
    }
    // The plan is saved exactly as the draft will then read, so error paths point at the right cells.
    const pruned = withoutEmptyDestinations(draft);
    setDraft(pruned);
    onSave(JSON.stringify(pruned));
  };

  const toggleJson = () => {
    if (!jsonMode) {
      setJsonText(planJson(draft));
      setJsonProblem(null);
      setJsonMode(true);
      return;
    }
    const parsed = parseTrackingPlan(jsonText);
    if (!parsed.ok) {
      setJsonProblem(`The tables can only show a valid plan: fix ${parsed.errors[0]?.path || "the JSON"} (${parsed.errors[0]?.message ?? "invalid"}) or discard your edits.`);
      return;
    }
    setDraft(parsed.plan);
    setJsonProblem(null);
    setJsonMode(false);
  };

  return (
    <BlockStack gap="400">
      {banner}
      {unplaced.length > 0 ? (
        <Banner tone="critical" title={`The plan has ${unplaced.length === 1 ? "a problem" : `${unplaced.length} problems`}; nothing was saved`}>
          <List type="bullet">
            {unplaced.map((error, index) => (
              <List.Item key={index}>
                <code>{error.path || "(plan)"}</code>: {error.message}
              </List.Item>
            ))}
          </List>
        </Banner>
      ) : null}
      <Card>
        <BlockStack gap="400">
          <InlineStack align="space-between" blockAlign="center" gap="300">
            <BlockStack gap="100">
              <Text as="h2" variant="headingMd">
                Tracking plan
              </Text>
              <Text as="p" tone="subdued">
                One name per event on each platform, the parameters it carries, what its value means, and the consent purpose each platform falls under.
              </Text>
            </BlockStack>
            <InlineStack gap="200">
              <Button onClick={toggleJson} pressed={jsonMode}>
                Advanced: JSON
              </Button>
              <Button onClick={() => (jsonMode ? setJsonText(savedText) : setDraft(saved))} disabled={!dirty}>
                Discard edits
              </Button>
              <Button variant="primary" onClick={save} loading={saving} disabled={!dirty}>
                Save plan
              </Button>
            </InlineStack>
          </InlineStack>
          {jsonProblem ? (
            <Banner tone="warning">
              <Text as="p">{jsonProblem}</Text>
            </Banner>
          ) : null}
          {jsonMode ? (
            <TextField label="Plan as JSON" labelHidden autoComplete="off" multiline={24} monospaced value={jsonText} onChange={setJsonText} />
          ) : (
            <InlineStack gap="400" wrap>
              <div style={{ minWidth: "16rem" }}>
                <Select
                  label="Product ids in events"
                  options={ID_SCHEME_NAMES.map((name) => ({ label: ID_SCHEME_LABELS[name], value: name }))}
                  value={draft.idScheme}
                  onChange={(idScheme) => setDraft({ ...draft, idScheme: idScheme as TrackingPlan["idScheme"] })}
                  helpText="Use the scheme your feeds use, so content ids match catalog items."
                />
                <InlineErrors errors={errorsUnder(errors, "idScheme")} />
              </div>
              <div style={{ minWidth: "16rem" }}>
                <Select
                  label="Currency"
                  options={CURRENCY_SOURCES}
                  value={draft.currencySource}
                  onChange={(currencySource) => setDraft({ ...draft, currencySource: currencySource as CurrencySource })}
                />
                <InlineErrors errors={errorsUnder(errors, "currencySource")} />
              </div>
              <div style={{ minWidth: "12rem" }}>
                <TextField
                  label="Custom event prefix"
                  autoComplete="off"
                  value={draft.customEventPrefix}
                  onChange={(customEventPrefix) => setDraft({ ...draft, customEventPrefix })}
                  helpText="Custom events start with this, so they never collide with a standard name."
                />
                <InlineErrors errors={errorsUnder(errors, "customEventPrefix")} />
              </div>
            </InlineStack>
          )}
        </BlockStack>
      </Card>
      {jsonMode ? null : (
        <>
          <Card padding="0">
            <BlockStack gap="0">
              <div style={{ padding: "var(--p-space-400)" }}>
                <Text as="h3" variant="headingSm">
                  Platforms
                </Text>
              </div>
              <PlatformSettingsTable plan={draft} errors={errors} onChange={setDraft} />
            </BlockStack>
          </Card>
          <Card padding="0">
            <BlockStack gap="0">
              <div style={{ padding: "var(--p-space-400)" }}>
                <Text as="h3" variant="headingSm">
                  Events
                </Text>
                <Text as="p" variant="bodySm" tone="subdued">
                  Per Shopify event and platform: the event name (empty: not sent), its parameters, and what value means.
                </Text>
              </div>
              <EventMatrix plan={draft} errors={errors} onChange={setDraft} />
            </BlockStack>
          </Card>
        </>
      )}
    </BlockStack>
  );
}

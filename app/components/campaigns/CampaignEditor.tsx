import { Banner, BlockStack, Button, Card, ChoiceList, FormLayout, InlineStack, List, Select, Text, TextField } from "@shopify/polaris";
import { useCallback, useMemo, useState } from "react";
import type { CampaignEditorView, HoldLineView } from "~/.server/services/rules/campaigns-page";
import type { FieldError } from "~/domain/campaigns/campaign-draft";
import { ProductPicker, type PickableProduct } from "~/components/channels/ProductPicker";

/** A hold line being edited: what it targets and its units as typed. */
export interface DraftLine {
  kind: "product" | "variant" | "tag";
  productId: string | null;
  variantId: string | null;
  tag: string | null;
  label: string;
  units: string;
  variants: { id: string; title: string }[];
  missing: boolean;
}

export interface CampaignDraftState {
  kind: "post" | "campaign";
  name: string;
  channels: string[];
  markets: string[];
  startsAt: string;
  endsAt: string;
  lines: DraftLine[];
}

function lineOf(hold: HoldLineView): DraftLine {
  return { kind: hold.kind, productId: hold.productId, variantId: hold.variantId, tag: hold.tag, label: hold.label, units: String(hold.units), variants: hold.variants, missing: hold.missing };
}

/** A new post goes out now and runs for a day; a campaign runs for two weeks from the next full hour. */
function defaultWindow(kind: "post" | "campaign", now: string, timeZoneWall: (ms: number) => string): { startsAt: string; endsAt: string } {
  const start = kind === "post" ? Math.floor(Date.parse(now) / 60_000) * 60_000 : Math.ceil(Date.parse(now) / 3_600_000) * 3_600_000;
  const end = start + (kind === "post" ? 1 : 14) * 86_400_000;
  return { startsAt: timeZoneWall(start), endsAt: timeZoneWall(end) };
}

export function initialDraft(view: CampaignEditorView, kind: "post" | "campaign", now: string, wall: (ms: number) => string): CampaignDraftState {
  if (view.campaign) {
    const c = view.campaign;
    return { kind: c.kind, name: c.name, channels: c.channels, markets: c.markets, startsAt: c.startsAt, endsAt: c.endsAt, lines: view.holds.map(lineOf) };
  }
  return { kind, name: "", channels: kind === "post" ? ["tiktok"] : [], markets: [], ...defaultWindow(kind, now, wall), lines: [] };
}

/** The draft as the server reads it (CampaignDraft): units as numbers when they are whole numbers. */
export function draftPayload(draft: CampaignDraftState): Record<string, unknown> {
  return {
    kind: draft.kind,
    name: draft.name,
    channels: draft.channels,
    markets: draft.markets,
    startsAt: draft.startsAt,
    endsAt: draft.endsAt,
    holds: draft.lines.map((line) => {
      const units = /^\s*\d+\s*$/.test(line.units) ? Number(line.units) : line.units;
      if (line.kind === "variant") return { variant: line.variantId, units };
      if (line.kind === "tag") return { tag: line.tag, units };
      return { product: line.productId, units };
    }),
  };
}

function errorFor(errors: readonly FieldError[], field: string): string | undefined {
  const found = errors.filter((error) => error.field === field || error.field.startsWith(`${field}[`) || error.field.startsWith(`${field}.`));
  return found.length > 0 ? found.map((error) => error.message).join("; ") : undefined;
}

export interface CampaignEditorProps {
  view: CampaignEditorView;
  draft: CampaignDraftState;
  onChange: (draft: CampaignDraftState) => void;
  errors: readonly FieldError[];
  embedded: boolean;
  pickable: PickableProduct[];
  pickerSearch: string;
  onPickerSearch: (search: string) => void;
  searching: boolean;
}

/**
 * The campaign's settings and the products it tags. Products are tagged through App Bridge's
 * resource picker inside Shopify Admin, and through the catalog search in the demo.
 */
export function CampaignEditor({ view, draft, onChange, errors, embedded, pickable, pickerSearch, onPickerSearch, searching }: CampaignEditorProps) {
  const [pickerError, setPickerError] = useState<string | null>(null);
  const set = useCallback(<K extends keyof CampaignDraftState>(key: K, value: CampaignDraftState[K]) => onChange({ ...draft, [key]: value }), [draft, onChange]);
  const addLines = useCallback(
    (lines: DraftLine[]) => {
      const fresh = lines.filter(
        (line) => !draft.lines.some((existing) => (line.kind === "variant" ? existing.variantId === line.variantId : existing.kind === "product" && existing.productId === line.productId)),
      );
      if (fresh.length > 0) onChange({ ...draft, lines: [...draft.lines, ...fresh] });
    },
    [draft, onChange],
  );

  const pickInAdmin = async () => {
    setPickerError(null);
    try {
      const selection = await shopify.resourcePicker({ type: "product", multiple: true, action: "select" });
      if (!selection) return;
      const lines: DraftLine[] = [];
      for (const product of selection) {
        const chosen = (product.variants ?? []).filter((variant): variant is typeof variant & { id: string } => typeof variant.id === "string");
        // The whole product when every variant (or none in particular) was chosen; else the chosen variants.
        if (chosen.length === 0 || chosen.length >= product.totalVariants) {
          lines.push({ kind: "product", productId: product.id, variantId: null, tag: null, label: product.title, units: "0", variants: [], missing: false });
        } else {
          for (const variant of chosen) {
            lines.push({ kind: "variant", productId: product.id, variantId: variant.id, tag: null, label: `${product.title} — ${variant.title ?? variant.id}`, units: "0", variants: [], missing: false });
          }
        }
      }
      addLines(lines);
    } catch (error) {
      setPickerError(`The product picker could not open: ${error instanceof Error ? error.message : String(error)}`);
    }
  };

  const updateLine = (index: number, change: Partial<DraftLine>) => onChange({ ...draft, lines: draft.lines.map((line, at) => (at === index ? { ...line, ...change } : line)) });
  const removeLine = (index: number) => onChange({ ...draft, lines: draft.lines.filter((_, at) => at !== index) });
  const general = useMemo(
    () => errors.filter((error) => !["kind", "name", "channels", "markets", "startsAt", "endsAt", "holds"].some((field) => error.field === field || error.field.startsWith(`${field}[`) || error.field.startsWith(`${field}.`))),
    [errors],
  );

  return (
    <BlockStack gap="400">
      {general.length > 0 ? (
        <Banner tone="critical" title="Fix these to save">
          <List type="bullet">
            {general.map((error) => (
              <List.Item key={`${error.field}:${error.message}`}>
                {error.field}: {error.message}
              </List.Item>
            ))}
          </List>
        </Banner>
      ) : null}
      <Card>
        <FormLayout>
          <FormLayout.Group>
            <TextField label="Name" value={draft.name} onChange={(value) => set("name", value)} autoComplete="off" error={errorFor(errors, "name")} placeholder="Spring drop on TikTok" />
            <Select
              label="Kind"
              options={[
                { label: "Social post (a short window, usually nothing held)", value: "post" },
                { label: "Campaign (units held for its channels)", value: "campaign" },
              ]}
              value={draft.kind}
              onChange={(value) => set("kind", value as CampaignDraftState["kind"])}
              error={errorFor(errors, "kind")}
            />
          </FormLayout.Group>
          <FormLayout.Group>
            <TextField
              label={`Starts (${view.timeZone})`}
              type="datetime-local"
              value={draft.startsAt}
              onChange={(value) => set("startsAt", value)}
              autoComplete="off"
              error={errorFor(errors, "startsAt")}
            />
            <TextField
              label={`Ends (${view.timeZone})`}
              type="datetime-local"
              value={draft.endsAt}
              onChange={(value) => set("endsAt", value)}
              autoComplete="off"
              error={errorFor(errors, "endsAt")}
              helpText="Units are held from the start until the end, then released."
            />
          </FormLayout.Group>
          <ChoiceList
            title="Channels"
            allowMultiple
            choices={view.channelChoices}
            selected={draft.channels}
            onChange={(value) => set("channels", value)}
            error={errorFor(errors, "channels")}
          />
          {view.marketChoices.length > 1 ? (
            <ChoiceList
              title="Markets (none chosen: every market)"
              allowMultiple
              choices={view.marketChoices.map((market) => ({ label: market, value: market }))}
              selected={draft.markets}
              onChange={(value) => set("markets", value)}
              error={errorFor(errors, "markets")}
            />
          ) : null}
        </FormLayout>
      </Card>
      <Card>
        <BlockStack gap="300">
          <InlineStack align="space-between" blockAlign="center">
            <BlockStack gap="050">
              <Text as="h2" variant="headingMd">
                Tagged products
              </Text>
              <Text as="p" tone="subdued">
                Units are held for each variant a line covers, on the campaign's channels, during its window. A post usually holds 0: tagging alone makes the product promoted there.
              </Text>
            </BlockStack>
            {embedded ? <Button onClick={() => void pickInAdmin()}>Tag products</Button> : null}
          </InlineStack>
          {pickerError ? <Banner tone="critical">{pickerError}</Banner> : null}
          {!embedded ? (
            <ProductPicker
              label="Tag a product"
              products={pickable}
              search={pickerSearch}
              selected={null}
              onSearch={onPickerSearch}
              loading={searching}
              onSelect={(product) => addLines([{ kind: "product", productId: product.id, variantId: null, tag: null, label: product.title, units: "0", variants: [], missing: false }])}
            />
          ) : null}
          {errorFor(errors, "holds") && !draft.lines.length ? <Text as="p" tone="critical">{errorFor(errors, "holds")}</Text> : null}
          {draft.lines.length === 0 ? (
            <Text as="p" tone="subdued">
              No product tagged yet.
            </Text>
          ) : (
            <BlockStack gap="200">
              {draft.lines.map((line, index) => (
                <HoldLineRow
                  key={`${line.kind}:${line.productId ?? ""}:${line.variantId ?? ""}:${line.tag ?? ""}`}
                  line={line}
                  index={index}
                  error={errorFor(errors, `holds[${index}]`)}
                  onChange={(change) => updateLine(index, change)}
                  onRemove={() => removeLine(index)}
                />
              ))}
            </BlockStack>
          )}
        </BlockStack>
      </Card>
    </BlockStack>
  );
}

function HoldLineRow({ line, index, error, onChange, onRemove }: { line: DraftLine; index: number; error: string | undefined; onChange: (change: Partial<DraftLine>) => void; onRemove: () => void }) {
  const productTitle = line.kind === "variant" ? line.label.split(" — ")[0] : line.label;
  const canNarrow = line.kind !== "tag" && line.variants.length > 1;
  return (
    <div data-testid="hold-line">
      <InlineStack gap="300" blockAlign="end" wrap={false}>
        <div style={{ flex: "1 1 auto", minWidth: 0 }}>
          <BlockStack gap="050">
            <Text as="span" fontWeight="semibold" truncate>
              {line.label}
            </Text>
            {line.missing ? (
              <Text as="span" variant="bodySm" tone="critical">
                Not in the catalog any more
              </Text>
            ) : null}
          </BlockStack>
        </div>
        {canNarrow ? (
          <div style={{ width: "14rem" }}>
            <Select
              label="Variant"
              labelHidden
              options={[{ label: "All variants", value: "" }, ...line.variants.map((variant) => ({ label: variant.title, value: variant.id }))]}
              value={line.kind === "variant" ? (line.variantId ?? "") : ""}
              onChange={(value) => {
                const variant = line.variants.find((candidate) => candidate.id === value);
                onChange(variant ? { kind: "variant", variantId: variant.id, label: `${productTitle} — ${variant.title}` } : { kind: "product", variantId: null, label: productTitle });
              }}
            />
          </div>
        ) : null}
        <div style={{ width: "8rem" }}>
          <TextField label={`Units held (line ${index + 1})`} labelHidden type="number" min={0} value={line.units} onChange={(units) => onChange({ units })} autoComplete="off" suffix="held" />
        </div>
        <Button onClick={onRemove} accessibilityLabel={`Remove ${line.label}`}>
          Remove
        </Button>
      </InlineStack>
      {error ? (
        <Text as="p" tone="critical" variant="bodySm">
          {error}
        </Text>
      ) : null}
    </div>
  );
}

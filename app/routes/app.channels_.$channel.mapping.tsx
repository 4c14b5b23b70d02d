import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useFetcher, useLoaderData, useNavigation, useRevalidator, useSearchParams } from "@remix-run/react";
import { Banner, BlockStack, Button, Card, InlineError, InlineStack, Layout, List, Page, Select, Text } from "@shopify/polaris";
import { useCallback, useEffect, useState } from "react";
import { z } from "zod";
import { requireShop } from "~/.server/auth";
import { getRuntime } from "~/.server/runtime";
import { loadMappingEditor, previewMapping, saveMapping } from "~/.server/services/channel-feeds/mapping-editor";
import { CHANNEL_ADAPTERS } from "~/domain/channels/adapters";
import { ALL_MARKETS, MAPPABLE_FIELDS, parseMappingRules, type MappingRules } from "~/domain/channels/mapping/schema";
import { CHANNEL_IDS, type MappableField } from "~/domain/channels/types";
import { MappingPreviewPanel } from "~/components/channels/MappingPreviewPanel";
import { isPlacedInForm, stableJson, type PathError } from "~/components/channels/mapping-draft";
import { ProductPicker, type PickableProduct } from "~/components/channels/ProductPicker";
import { RulesForm } from "~/components/channels/RulesForm";
import { SaveMappingModal } from "~/components/channels/SaveMappingModal";
import { timeAgo } from "~/components/channels/format";
import { useFeedbackToast } from "~/components/channels/useFeedbackToast";
import { JsonEditorCard } from "~/components/JsonEditorCard";
import { PageErrorBoundary } from "~/components/PageErrorBoundary";
import { useUrlSearchSetter } from "~/components/useUrlSearchSetter";

// The file is `app.channels_.$channel.mapping.tsx`: the underscore after "channels" keeps this page
// out of the Channels page's layout (which has no Outlet) while the URL stays
// /app/channels/<channel>/mapping, inside app.tsx's frame.

const ChannelSchema = z.enum(CHANNEL_IDS);
const MarketSchema = z.union([z.literal(ALL_MARKETS), z.string().regex(/^[A-Z]{2}$/)]);
const MAPPABLE_FIELD_NAMES = new Set<string>(MAPPABLE_FIELDS.map((info) => info.field));

const QuerySchema = z.object({
  market: MarketSchema.catch(ALL_MARKETS),
  q: z.string().max(200).catch(""),
  field: z
    .string()
    .nullable()
    .transform((field) => (field !== null && MAPPABLE_FIELD_NAMES.has(field) ? (field as MappableField) : null))
    .catch(null),
});

function channelOf(params: { channel?: string }) {
  const channel = ChannelSchema.safeParse(params.channel);
  if (!channel.success) throw new Response("There is no such channel", { status: 404, statusText: "Not Found" });
  return channel.data;
}

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { shop, mode } = await requireShop(request, context);
  const channel = channelOf(params);
  const search = new URL(request.url).searchParams;
  const query = QuerySchema.parse({ market: search.get("market") ?? ALL_MARKETS, q: search.get("q") ?? "", field: search.get("field") });
  const view = await loadMappingEditor(await getRuntime(), shop, channel, query.market, query.q);
  if (!view.markets.includes(view.market)) throw new Response(`The market ${query.market} is not set up for this shop`, { status: 404, statusText: "Not Found" });
  return { ...view, label: CHANNEL_ADAPTERS[channel].label, search: query.q, focusField: query.field, embedded: mode === "shopify", now: new Date().toISOString() };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.label} mapping · Shelfcast` : "Mapping · Shelfcast" }];

/** Rules travel as JSON text, so the JSON editor's syntax errors are reported by the server like any other. */
const RulesTextSchema = z.string().max(2_000_000);
const ActionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("preview"), market: MarketSchema, productId: z.string().regex(/^gid:\/\/shopify\/Product\/\d+$/), rules: RulesTextSchema }),
  z.object({ intent: z.literal("save"), market: MarketSchema, rules: RulesTextSchema, expectedRevision: z.coerce.number().int().min(0) }),
]);

function parseJson(text: string): { ok: true; value: unknown } | { ok: false; errors: PathError[] } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, errors: [{ path: "(root)", message: `not valid JSON: ${error instanceof Error ? error.message : String(error)}` }] };
  }
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { shop } = await requireShop(request, context);
  const channel = channelOf(params);
  const parsed = ActionSchema.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return { intent: "invalid" as const, message: "That request was not understood; reload the page and try again." };
  const rules = parseJson(parsed.data.rules);
  const runtime = await getRuntime();
  if (parsed.data.intent === "preview") {
    const result = rules.ok ? await previewMapping(runtime, shop, channel, parsed.data.market, rules.value, parsed.data.productId) : { ok: false as const, errors: rules.errors };
    return { intent: "preview" as const, result };
  }
  const result = rules.ok
    ? await saveMapping(runtime, shop, channel, parsed.data.market, rules.value, parsed.data.expectedRevision)
    : { ok: false as const, message: "The JSON is not valid; nothing was saved.", errors: rules.errors };
  // The answer names the revision and market it was for, so the page drops it once either moves on.
  return { intent: "save" as const, result, revision: parsed.data.expectedRevision, market: parsed.data.market };
}

function marketLabel(market: string): string {
  return market === ALL_MARKETS ? "All markets" : market;
}

export default function MappingEditorPage() {
  const view = useLoaderData<typeof loader>();
  const [params, setParams] = useSearchParams();
  const navigation = useNavigation();
  const revalidator = useRevalidator();
  const { show, toast } = useFeedbackToast(view.embedded);
  const [product, setProduct] = useState<PickableProduct | null>(view.products[0] ?? null);
  const [jsonMode, setJsonMode] = useState(false);
  const [resets, setResets] = useState(0);
  const [savedAtResets, setSavedAtResets] = useState(0);
  const save = useFetcher<typeof action>();

  const answer = save.state === "idle" ? save.data : undefined;
  const saveResult = answer?.intent === "save" ? answer.result : null;
  // A failure belongs to the draft it was for: discarding, switching market or loading a newer
  // revision makes it stale.
  const failureIsCurrent = answer?.intent === "save" && answer.revision === view.revision && answer.market === view.market && savedAtResets === resets;
  const saveFailed = answer?.intent === "invalid" && savedAtResets === resets ? answer.message : null;
  useEffect(() => {
    if (saveResult?.ok) show(saveResult.message);
  }, [saveResult, show]);

  const search = useUrlSearchSetter();

  const submitSave = useCallback(
    (rulesText: string) => {
      setSavedAtResets(resets);
      save.submit({ intent: "save", market: view.market, rules: rulesText, expectedRevision: String(view.revision) }, { method: "post" });
    },
    [save, view.market, view.revision, resets],
  );

  const failure = failureIsCurrent && saveResult && !saveResult.ok ? saveResult : null;
  // Someone else saved in between: nothing was saved, and only reloading shows their version.
  const conflict = failure && !failure.errors ? failure.message : null;

  return (
    <>
      <MappingEditor
        // A new market or a new saved revision starts the draft again from what is saved.
        key={`${view.market}|${view.revision}|${resets}`}
        view={view}
        product={product}
        onProduct={setProduct}
        onSearch={search}
        searching={navigation.state === "loading" && navigation.location.pathname === `/app/channels/${view.channel}/mapping`}
        jsonMode={jsonMode}
        onJsonMode={setJsonMode}
        onSave={submitSave}
        saving={save.state !== "idle"}
        onDiscard={() => setResets((count) => count + 1)}
        onMarket={(market) => {
          const next = new URLSearchParams(params);
          if (market === ALL_MARKETS) next.delete("market");
          else next.set("market", market);
          setParams(next);
        }}
        banner={
          conflict ? (
            <Banner tone="critical" title="These rules changed since you opened them" action={{ content: "Load the saved version (discards your edits)", onAction: () => revalidator.revalidate() }}>
              <Text as="p">{conflict} Copy your edits from “Advanced: JSON” first if you want to keep them.</Text>
            </Banner>
          ) : failure ? (
            <Banner tone="critical" title="Nothing was saved">
              <Text as="p">{failure.message}</Text>
            </Banner>
          ) : saveFailed ? (
            <Banner tone="critical" title="Nothing was saved">
              <Text as="p">{saveFailed}</Text>
            </Banner>
          ) : null
        }
      />
      {toast}
    </>
  );
}

type View = ReturnType<typeof useLoaderData<typeof loader>>;

function pretty(rules: unknown): string {
  return JSON.stringify(rules, null, 2);
}

function MappingEditor({
  view,
  product,
  onProduct,
  onSearch,
  searching,
  jsonMode,
  onJsonMode,
  onSave,
  saving,
  onDiscard,
  onMarket,
  banner,
}: {
  view: View;
  product: PickableProduct | null;
  onProduct: (product: PickableProduct) => void;
  onSearch: (search: string) => void;
  searching: boolean;
  jsonMode: boolean;
  onJsonMode: (on: boolean) => void;
  onSave: (rulesText: string) => void;
  saving: boolean;
  onDiscard: () => void;
  onMarket: (market: string) => void;
  banner: React.ReactNode;
}) {
  const saved = view.rules as MappingRules;
  const [draft, setDraft] = useState<MappingRules>(saved);
  const [jsonText, setJsonText] = useState(() => pretty(saved));
  const [jsonBlocked, setJsonBlocked] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const preview = useFetcher<typeof action>();
  const submitPreview = preview.submit;

  const rulesText = jsonMode ? jsonText : JSON.stringify(draft);
  const dirty = jsonMode ? stableJson(parseJsonSilently(jsonText)) !== stableJson(saved) : stableJson(draft) !== stableJson(saved);

  // The preview follows the draft 400 ms after the last edit; `previewed` remembers what was sent,
  // so the page knows whether the result on screen belongs to the draft as it is now.
  const [previewed, setPreviewed] = useState<string | null>(null);
  const previewKey = product ? `${product.id}\n${rulesText}` : null;
  useEffect(() => {
    if (!product || previewKey === null) return;
    const timer = setTimeout(() => {
      setPreviewed(previewKey);
      submitPreview({ intent: "preview", market: view.market, productId: product.id, rules: rulesText }, { method: "post" });
    }, 400);
    return () => clearTimeout(timer);
  }, [previewKey, product, rulesText, view.market, submitPreview]);

  const result = preview.data?.intent === "preview" ? preview.data.result : null;
  const current = preview.state === "idle" && previewed === previewKey && result !== null;
  const errors: PathError[] = result && !result.ok && "errors" in result ? result.errors : [];
  const okPreview = result?.ok ? result : null;
  const unplaced = jsonMode ? errors : errors.filter((error) => !isPlacedInForm(error.path));

  const toggleJson = () => {
    if (!jsonMode) {
      setJsonText(pretty(draft));
      setJsonBlocked(null);
      onJsonMode(true);
      return;
    }
    const parsed = parseMappingRules(parseJsonSilently(jsonText));
    if (!parsed.ok) {
      setJsonBlocked("The form can only show valid rules: fix the problems listed below, or discard your edits.");
      return;
    }
    setDraft(parsed.rules);
    setJsonBlocked(null);
    onJsonMode(false);
  };

  const editJson = (text: string) => {
    setJsonText(text);
    const parsed = parseMappingRules(parseJsonSilently(text));
    if (parsed.ok) setDraft(parsed.rules);
  };

  const scope = `${view.label} rules for ${view.market === ALL_MARKETS ? "all markets" : view.market}`;
  const canSave = dirty && errors.length === 0;

  return (
    <Page
      fullWidth
      backAction={{ content: "Channels", url: "/app/channels" }}
      title={`${view.label} mapping`}
      subtitle={view.updatedAt ? `Revision ${view.revision}, saved ${timeAgo(view.updatedAt, view.now)}` : "No rules saved yet: every field uses Shelfcast's defaults"}
      primaryAction={{
        content: "Save",
        disabled: !canSave,
        loading: saving,
        helpText: errors.length > 0 ? "Fix the problems in the rules first." : dirty ? undefined : "Nothing to save yet.",
        onAction: () => setConfirming(true),
      }}
      secondaryActions={[{ content: "Discard edits", disabled: !dirty, onAction: onDiscard }]}
    >
      <Layout>
        {banner ? <Layout.Section>{banner}</Layout.Section> : null}
        {unplaced.length > 0 && !jsonMode ? (
          <Layout.Section>
            <Banner tone="critical" title={`The rules have ${unplaced.length === 1 ? "a problem" : `${unplaced.length} problems`}`}>
              <ErrorList errors={unplaced} />
            </Banner>
          </Layout.Section>
        ) : null}
        <Layout.Section variant="oneHalf">
          <BlockStack gap="400">
            <Card>
              <InlineStack align="space-between" blockAlign="end" gap="300">
                <div style={{ minWidth: "12rem" }}>
                  <Select
                    label="Rules for"
                    options={view.markets.map((market) => ({ label: marketLabel(market), value: market }))}
                    value={view.market}
                    onChange={onMarket}
                    disabled={dirty}
                    helpText={
                      dirty
                        ? "Save or discard your edits to switch markets."
                        : view.market === ALL_MARKETS
                          ? "Apply in every market unless a market sets the same field."
                          : `Apply in ${view.market} on top of the all-markets rules.`
                    }
                  />
                </div>
                <Button onClick={toggleJson} pressed={jsonMode} accessibilityLabel="Advanced: edit the rules as JSON">
                  Advanced: JSON
                </Button>
              </InlineStack>
            </Card>
            {jsonMode ? (
              <JsonEditorCard
                title="Rules as JSON"
                label="Rules"
                value={jsonText}
                onChange={editJson}
                helpText="The same format the command line takes with --mapping. Checked as you type; problems are listed by path."
              >
                {jsonBlocked ? <InlineError fieldID="rules-json" message={jsonBlocked} /> : null}
                {errors.length > 0 ? (
                  <Banner tone="critical" title={`${errors.length === 1 ? "1 problem" : `${errors.length} problems`}`}>
                    <ErrorList errors={errors} />
                  </Banner>
                ) : null}
              </JsonEditorCard>
            ) : (
              <RulesForm draft={draft} onChange={setDraft} errors={errors} focusField={view.focusField} />
            )}
          </BlockStack>
        </Layout.Section>
        <Layout.Section variant="oneHalf">
          <Card>
            <BlockStack gap="400">
              <InlineStack align="space-between" blockAlign="center">
                <Text as="h2" variant="headingMd">
                  Preview
                </Text>
                <Text as="span" variant="bodySm" tone="subdued">
                  {view.market === ALL_MARKETS ? "In the shop's first market" : `In ${view.market}`}
                </Text>
              </InlineStack>
              <ProductPicker products={view.products} search={view.search} selected={product} onSelect={onProduct} onSearch={onSearch} loading={searching} />
              {!product ? (
                <Text as="p" tone="subdued">
                  The catalog has no products yet; a preview needs one.
                </Text>
              ) : okPreview ? (
                <div data-testid="mapping-preview" data-current={current ? "true" : "false"}>
                  <MappingPreviewPanel preview={okPreview} loading={!current} embedded={view.embedded} />
                </div>
              ) : result && !result.ok && "notFound" in result ? (
                <Banner tone="warning">That product is no longer in the catalog; pick another.</Banner>
              ) : errors.length > 0 ? (
                <Text as="p" tone="critical">
                  The preview waits until the rules have no problems.
                </Text>
              ) : (
                <Text as="p" tone="subdued">
                  Loading the preview…
                </Text>
              )}
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
      <SaveMappingModal
        open={confirming}
        onClose={() => setConfirming(false)}
        onConfirm={() => {
          onSave(rulesText);
          setConfirming(false);
        }}
        preview={okPreview}
        checking={product !== null && !current}
        saving={saving}
        scope={scope}
        productTitle={product?.title ?? null}
      />
    </Page>
  );
}

function parseJsonSilently(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function ErrorList({ errors }: { errors: readonly PathError[] }) {
  return (
    <List type="bullet">
      {errors.map((error, index) => (
        <List.Item key={index}>
          <code>{error.path}</code> {error.message}
        </List.Item>
      ))}
    </List>
  );
}

export function ErrorBoundary() {
  return <PageErrorBoundary title="Mapping" />;
}

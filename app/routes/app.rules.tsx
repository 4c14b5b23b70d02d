import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useFetcher, useLoaderData, useNavigation, useRevalidator, type ShouldRevalidateFunction } from "@remix-run/react";
import { Banner, BlockStack, Button, Card, EmptyState, IndexTable, InlineError, InlineStack, Layout, List, Modal, Page, Text } from "@shopify/polaris";
import { useCallback, useEffect, useMemo, useState } from "react";
import { z } from "zod";
import { requireShop } from "~/.server/auth";
import { getRuntime } from "~/.server/runtime";
import { loadRulesPage, productVariants, saveRulesDocument, simulateOffers } from "~/.server/services/rules/stock-rules-editor";
import { errorsUnder, stableJson } from "~/components/channels/mapping-draft";
import type { PickableProduct } from "~/components/channels/ProductPicker";
import { timeAgo } from "~/components/channels/format";
import { useFeedbackToast } from "~/components/channels/useFeedbackToast";
import { PageErrorBoundary } from "~/components/PageErrorBoundary";
import { RuleForm } from "~/components/rules/RuleForm";
import { RulesSettingsCard } from "~/components/rules/RulesSettingsCard";
import { SimulatorCard, type SimulationRequest } from "~/components/rules/SimulatorCard";
import {
  isPlacedInSettings,
  newRuleDraft,
  ruleDocumentFrom,
  ruleDraftFrom,
  rulesOfDocument,
  settingsDraftFrom,
  withRules,
  withSettings,
  type RuleDraft,
} from "~/components/rules/rule-draft";
import { parseInstant, parseRules, type RulesFileError, type StockRule } from "~/domain/rules";
import { describeRule, describeScope } from "~/domain/rules/describe";
import { IgnoredSettingsBanner } from "~/components/IgnoredSettingsBanner";
import { JsonEditorCard } from "~/components/JsonEditorCard";
import { useUrlSearchSetter } from "~/components/useUrlSearchSetter";

const QuerySchema = z.object({ q: z.string().max(200).catch("") });

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { shop, mode } = await requireShop(request, context);
  const query = QuerySchema.parse({ q: new URL(request.url).searchParams.get("q") ?? "" });
  const now = new Date();
  const view = await loadRulesPage(await getRuntime(), shop, query.q, now);
  return { ...view, search: query.q, embedded: mode === "shopify", now: now.toISOString() };
}

export const meta: MetaFunction = () => [{ title: "Rules · Shelfcast" }];

/** The simulator and the variant picker only read: their answers need no reload of the page. */
export const shouldRevalidate: ShouldRevalidateFunction = ({ formData, defaultShouldRevalidate }) => {
  const intent = formData?.get("intent");
  return intent === "simulate" || intent === "variants" ? false : defaultShouldRevalidate;
};

const ProductIdSchema = z.string().regex(/^gid:\/\/shopify\/Product\/\d+$/);
const ActionSchema = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("save"),
    /** The whole rules document as JSON text: the JSON view's syntax errors are reported like any other. */
    document: z.string().max(2_000_000),
    expectedRevision: z.coerce.number().int().min(0),
    /** Which part of the page saved ("rule:2", "new", "delete", "settings", "json"), echoed back. */
    part: z.string().max(40),
  }),
  z.object({
    intent: z.literal("simulate"),
    productId: ProductIdSchema,
    variantId: z.string().regex(/^gid:\/\/shopify\/ProductVariant\/\d+$/).optional(),
    market: z.string().regex(/^[A-Z]{2}$/).optional(),
    /** An ISO instant with its offset; now when absent. */
    at: z.string().max(64).optional(),
  }),
  z.object({ intent: z.literal("variants"), productId: ProductIdSchema }),
]);

function jsonError(message: string): RulesFileError {
  return { entryId: null, path: "(root)", message, text: message };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { shop } = await requireShop(request, context);
  const form = Object.fromEntries(await request.formData());
  const parsed = ActionSchema.safeParse(Object.fromEntries(Object.entries(form).filter(([, value]) => value !== "")));
  if (!parsed.success) return { intent: "invalid" as const, message: "That request was not understood; reload the page and try again." };
  const runtime = await getRuntime();
  const input = parsed.data;
  if (input.intent === "variants") return { intent: "variants" as const, productId: input.productId, result: await productVariants(runtime, shop, input.productId) };
  if (input.intent === "simulate") {
    const at = input.at === undefined ? Date.now() : parseInstant(input.at);
    if (at === null) return { intent: "simulate" as const, result: { ok: false as const, message: "Enter the date and time as an ISO 8601 instant with its offset." } };
    return { intent: "simulate" as const, result: await simulateOffers(runtime, shop, { productId: input.productId, variantId: input.variantId, market: input.market, at: new Date(at) }) };
  }
  let document: unknown;
  try {
    document = JSON.parse(input.document);
  } catch (error) {
    const result = { ok: false as const, message: "The JSON is not valid; nothing was saved.", errors: [jsonError(`not valid JSON: ${error instanceof Error ? error.message : String(error)}`)] };
    return { intent: "save" as const, part: input.part, revision: input.expectedRevision, result };
  }
  // The answer names the part and revision it was for, so the page drops it once either moves on.
  return { intent: "save" as const, part: input.part, revision: input.expectedRevision, result: await saveRulesDocument(runtime, shop, document, input.expectedRevision) };
}

type View = ReturnType<typeof useLoaderData<typeof loader>>;
type Editing = { index: number | "new"; draft: RuleDraft };

function partOf(editing: Editing): string {
  return editing.index === "new" ? "new" : `rule:${editing.index}`;
}

function parseJsonSilently(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export default function RulesPage() {
  const view = useLoaderData<typeof loader>();
  const navigation = useNavigation();
  const revalidator = useRevalidator();
  const { show, toast } = useFeedbackToast(view.embedded);
  const save = useFetcher<typeof action>();
  const simulate = useFetcher<typeof action>();
  const variants = useFetcher<typeof action>();

  const [jsonMode, setJsonMode] = useState(!view.valid);
  const [editing, setEditing] = useState<Editing | null>(null);
  const [deleting, setDeleting] = useState<number | null>(null);
  const [picked, setPicked] = useState<PickableProduct | null>(null);

  const parsed = useMemo(() => parseRules(view.document), [view.document]);
  const rawRules = rulesOfDocument(view.document);
  const answer = save.state === "idle" ? save.data : undefined;
  const saveAnswer = answer?.intent === "save" && answer.revision === view.revision ? answer : null;
  const saveErrors = saveAnswer && !saveAnswer.result.ok && "errors" in saveAnswer.result ? saveAnswer.result.errors : [];
  const conflict = saveAnswer && !saveAnswer.result.ok && "conflict" in saveAnswer.result && saveAnswer.result.conflict ? saveAnswer.result.message : null;
  const savingPart = save.state !== "idle" ? String(save.formData?.get("part") ?? "") : null;

  useEffect(() => {
    if (answer?.intent === "save" && answer.result.ok) show(answer.result.message);
  }, [answer, show]);
  // A saved rule closes its form and a confirmed delete its dialog, once per answer.
  const [handled, setHandled] = useState<typeof answer>(undefined);
  if (answer !== handled) {
    setHandled(answer);
    if (answer?.intent === "save" && answer.result.ok) {
      if (answer.part === "new" || answer.part.startsWith("rule:")) setEditing(null);
      if (answer.part === "delete") setDeleting(null);
    }
  }

  const submitDocument = useCallback(
    (document: unknown, part: string) => save.submit({ intent: "save", document: JSON.stringify(document), expectedRevision: String(view.revision), part }, { method: "post" }),
    [save, view.revision],
  );

  const search = useUrlSearchSetter();
  const searching = navigation.state === "loading" && navigation.location.pathname === "/app/rules";

  const submitSimulation = simulate.submit;
  const runSimulation = useCallback(
    (request: SimulationRequest) =>
      submitSimulation(
        { intent: "simulate", productId: request.productId, variantId: request.variantId ?? "", market: request.market, at: request.at ?? "" },
        { method: "post" },
      ),
    [submitSimulation],
  );
  const simulationResult = simulate.data?.intent === "simulate" ? simulate.data.result : null;

  const pickProduct = (product: PickableProduct) => {
    setPicked(product);
    variants.submit({ intent: "variants", productId: product.id }, { method: "post" });
  };
  const pickedVariants = variants.data?.intent === "variants" && variants.data.productId === picked?.id ? (variants.data.result?.variants ?? []) : null;

  const startEditing = (index: number | "new") => {
    setPicked(null);
    setEditing({ index, draft: index === "new" ? newRuleDraft(rawRules.map((rule) => ruleDraftFrom(rule).id)) : ruleDraftFrom(rawRules[index]) });
  };
  const saveRule = () => {
    if (!editing) return;
    const rule = ruleDocumentFrom(editing.draft);
    const rules = editing.index === "new" ? [...rawRules, rule] : rawRules.map((existing, index) => (index === editing.index ? rule : existing));
    submitDocument(withRules(view.document, rules), partOf(editing));
  };
  const ruleIndexOf = (editing: Editing) => (editing.index === "new" ? rawRules.length : editing.index);
  const editingErrors = editing && saveAnswer?.part === partOf(editing) ? errorsUnder(saveErrors, `rules[${ruleIndexOf(editing)}]`) : [];
  // Errors the part that saved shows next to its own boxes; the rest are listed at the top.
  const shownInPlace = (error: RulesFileError): boolean => {
    if (saveAnswer?.part === "json") return true;
    if (saveAnswer?.part === "settings") return isPlacedInSettings(error.path);
    return editing !== null && saveAnswer?.part === partOf(editing) && errorsUnder([error], `rules[${ruleIndexOf(editing)}]`).length > 0;
  };
  const errorsElsewhere = saveErrors.filter((error) => !shownInPlace(error));

  const subtitle = view.updatedAt ? `Revision ${view.revision}, saved ${timeAgo(view.updatedAt, view.now)}` : "No rules saved yet: channels get Shopify's available stock";

  return (
    <Page
      title="Rules"
      subtitle={subtitle}
      primaryAction={jsonMode ? undefined : { content: "Add rule", onAction: () => startEditing("new"), disabled: editing !== null || !view.valid }}
      secondaryActions={[
        jsonMode
          ? { content: "Back to the form", onAction: () => setJsonMode(false), disabled: !view.valid }
          : { content: "Edit as JSON", onAction: () => { setEditing(null); setJsonMode(true); } },
      ]}
    >
      <Layout>
        {view.problems.length > 0 ? (
          <Layout.Section>
            <IgnoredSettingsBanner title="Some saved settings were left out" problems={view.problems} />
          </Layout.Section>
        ) : null}
        {conflict ? (
          <Layout.Section>
            <Banner tone="critical" title="The rules changed since you opened them" action={{ content: "Load the saved version (discards your edits)", onAction: () => revalidator.revalidate() }}>
              <Text as="p">{conflict}</Text>
            </Banner>
          </Layout.Section>
        ) : null}
        {errorsElsewhere.length > 0 ? (
          <Layout.Section>
            <Banner tone="critical" title="Nothing was saved">
              <List type="bullet">
                {errorsElsewhere.map((error, index) => (
                  <List.Item key={index}>{error.text}</List.Item>
                ))}
              </List>
            </Banner>
          </Layout.Section>
        ) : null}
        {answer?.intent === "invalid" ? (
          <Layout.Section>
            <Banner tone="critical">{answer.message}</Banner>
          </Layout.Section>
        ) : null}
        {jsonMode ? (
          <Layout.Section>
            <JsonEditor
              key={view.revision}
              document={view.document}
              errors={saveAnswer?.part === "json" ? saveErrors : []}
              saving={savingPart === "json"}
              onSave={(document) => submitDocument(document, "json")}
            />
          </Layout.Section>
        ) : (
          <>
            {editing ? (
              <Layout.Section>
                <RuleForm
                  draft={editing.draft}
                  onChange={(draft) => setEditing({ ...editing, draft })}
                  errors={editingErrors}
                  isNew={editing.index === "new"}
                  saving={savingPart === partOf(editing)}
                  onSave={saveRule}
                  onCancel={() => setEditing(null)}
                  picker={{
                    products: view.products,
                    search: view.search,
                    onSearch: search,
                    searching,
                    picked: picked ? { product: picked, variants: pickedVariants } : null,
                    onPick: pickProduct,
                    titles: view.titles,
                  }}
                />
              </Layout.Section>
            ) : null}
            <Layout.Section>
              {parsed.ok ? (
                <RulesList view={view} rules={parsed.value.rules} onAdd={() => startEditing("new")} onEdit={startEditing} onDelete={setDeleting} busy={editing !== null} />
              ) : (
                <Banner tone="critical" title="The saved rules are invalid">
                  <Text as="p">Fix them in the JSON view: {parsed.errors.map((error) => error.text).join("; ")}</Text>
                </Banner>
              )}
            </Layout.Section>
            {parsed.ok ? (
              <Layout.Section>
                <SettingsSection
                  key={view.revision}
                  document={view.document}
                  errors={saveAnswer?.part === "settings" ? saveErrors : []}
                  saving={savingPart === "settings"}
                  onSave={(document) => submitDocument(document, "settings")}
                />
              </Layout.Section>
            ) : null}
          </>
        )}
        <Layout.Section>
          <SimulatorCard
            products={view.products}
            search={view.search}
            onSearch={search}
            searching={searching}
            markets={view.markets}
            running={simulate.state !== "idle"}
            result={simulationResult}
            onRun={runSimulation}
          />
        </Layout.Section>
      </Layout>
      <Modal
        open={deleting !== null}
        onClose={() => setDeleting(null)}
        title={`Delete rule “${deleting !== null ? (ruleDraftFrom(rawRules[deleting]).id) : ""}”?`}
        primaryAction={{
          content: "Delete rule",
          destructive: true,
          loading: savingPart === "delete",
          onAction: () => {
            if (deleting !== null) submitDocument(withRules(view.document, rawRules.filter((_, index) => index !== deleting)), "delete");
          },
        }}
        secondaryActions={[{ content: "Keep it", onAction: () => setDeleting(null) }]}
      >
        <Modal.Section>
          <Text as="p">The channels get the stock without it at the next feed build, in a few minutes. Nothing else changes.</Text>
        </Modal.Section>
      </Modal>
      {toast}
    </Page>
  );
}

function RulesList({
  view,
  rules,
  onAdd,
  onEdit,
  onDelete,
  busy,
}: {
  view: View;
  rules: readonly StockRule[];
  onAdd: () => void;
  onEdit: (index: number) => void;
  onDelete: (index: number) => void;
  busy: boolean;
}) {
  if (rules.length === 0) {
    return (
      <Card>
        <EmptyState heading="No stock rules yet" image="/empty-state.svg" action={{ content: "Add a rule", onAction: onAdd, disabled: busy }}>
          <Text as="p">
            Without rules Shelfcast sends Shopify&apos;s available stock to every channel: the same units are offered everywhere at once, so a post that takes off can sell out the web store.
            Keep a buffer for the web store, cap what a channel shows, share stock by weight, and cap pre-orders and sales past zero.
          </Text>
        </EmptyState>
      </Card>
    );
  }
  return (
    <Card padding="0">
      <IndexTable
        resourceName={{ singular: "rule", plural: "rules" }}
        itemCount={rules.length}
        selectable={false}
        headings={[{ title: "#" }, { title: "Rule" }, { title: "Applies to" }, { title: "What it does" }, { title: "Actions", alignment: "end" }]}
      >
        {rules.map((rule, index) => (
          <IndexTable.Row id={rule.id} key={rule.id} position={index}>
            <IndexTable.Cell>{index + 1}</IndexTable.Cell>
            <IndexTable.Cell>
              <BlockStack gap="050">
                <Text as="span" fontWeight="semibold">
                  {rule.id}
                </Text>
                {rule.description ? (
                  <Text as="span" variant="bodySm" tone="subdued">
                    {rule.description}
                  </Text>
                ) : null}
              </BlockStack>
            </IndexTable.Cell>
            <IndexTable.Cell>{describeScope(rule.scope, view.titles)}</IndexTable.Cell>
            <IndexTable.Cell>
              <div style={{ whiteSpace: "normal", maxWidth: "32rem" }}>{describeRule(rule)}</div>
            </IndexTable.Cell>
            <IndexTable.Cell>
              <InlineStack gap="200" align="end" wrap={false}>
                <Button onClick={() => onEdit(index)} disabled={busy} accessibilityLabel={`Edit rule ${rule.id}`}>
                  Edit
                </Button>
                <Button tone="critical" variant="plain" onClick={() => onDelete(index)} disabled={busy} accessibilityLabel={`Delete rule ${rule.id}`}>
                  Delete
                </Button>
              </InlineStack>
            </IndexTable.Cell>
          </IndexTable.Row>
        ))}
      </IndexTable>
    </Card>
  );
}

function SettingsSection({ document, errors, saving, onSave }: { document: unknown; errors: readonly RulesFileError[]; saving: boolean; onSave: (document: unknown) => void }) {
  const saved = useMemo(() => settingsDraftFrom(document), [document]);
  const [draft, setDraft] = useState(saved);
  const dirty = stableJson(draft) !== stableJson(saved);
  return (
    <RulesSettingsCard
      draft={draft}
      onChange={setDraft}
      errors={errors.filter((error) => isPlacedInSettings(error.path))}
      dirty={dirty}
      saving={saving}
      onSave={() => onSave(withSettings(document, draft))}
      onReset={() => setDraft(saved)}
    />
  );
}

function JsonEditor({ document, errors, saving, onSave }: { document: unknown; errors: readonly RulesFileError[]; saving: boolean; onSave: (document: unknown) => void }) {
  const [text, setText] = useState(() => JSON.stringify(document, null, 2));
  const value = parseJsonSilently(text);
  const checked = value === undefined ? null : parseRules(value);
  const problems = value === undefined ? ["Not valid JSON yet."] : checked && !checked.ok ? checked.errors.map((error) => error.text) : [];
  const dirty = value === undefined || stableJson(value) !== stableJson(document);
  return (
    <JsonEditorCard
      title="Rules as JSON"
      label="Rules document"
      value={text}
      onChange={setText}
      helpText="The same file `shelfcast offers --rules` and `shelfcast feed --rules` read. Checked as you type; every problem names the rule and the field."
    >
      {problems.length > 0 ? (
        <Banner tone="critical" title={problems.length === 1 ? "1 problem" : `${problems.length} problems`}>
          <List type="bullet">
            {problems.map((problem, index) => (
              <List.Item key={index}>{problem}</List.Item>
            ))}
          </List>
        </Banner>
      ) : null}
      {errors.length > 0 ? <InlineError fieldID="rules-json" message={errors.map((error) => error.text).join("; ")} /> : null}
      <InlineStack align="end" gap="200">
        <Button onClick={() => setText(JSON.stringify(document, null, 2))} disabled={!dirty || saving}>
          Discard edits
        </Button>
        <Button variant="primary" onClick={() => onSave(value)} disabled={!dirty || problems.length > 0} loading={saving}>
          Save rules
        </Button>
      </InlineStack>
    </JsonEditorCard>
  );
}

export function ErrorBoundary() {
  return <PageErrorBoundary title="Rules" />;
}

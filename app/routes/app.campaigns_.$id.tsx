import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useFetcher, useLoaderData, useNavigate, useRevalidator } from "@remix-run/react";
import { Banner, BlockStack, Layout, Page, Text } from "@shopify/polaris";
import { useCallback, useEffect, useMemo, useState } from "react";
import { z } from "zod";
import { requireShop } from "~/.server/auth";
import { getRuntime } from "~/.server/runtime";
import { loadCampaignEditor } from "~/.server/services/rules/campaigns-page";
import { deleteCampaign, saveCampaign, type SaveCampaignResult } from "~/.server/services/rules/campaigns-store";
import { CampaignEditor, draftPayload, initialDraft, type CampaignDraftState } from "~/components/campaigns/CampaignEditor";
import { ReadinessBoard } from "~/components/campaigns/ReadinessBoard";
import { StockAlertSections } from "~/components/campaigns/StockAlertSections";
import { useFeedbackToast } from "~/components/channels/useFeedbackToast";
import type { PickableProduct } from "~/components/channels/ProductPicker";
import { PageErrorBoundary } from "~/components/PageErrorBoundary";
import { instantToWallTime } from "~/domain/campaigns/zoned-time";
import { IgnoredSettingsBanner } from "~/components/IgnoredSettingsBanner";

// `app.campaigns_.$id.tsx`: the underscore keeps this page out of the Campaigns list's layout (which
// has no Outlet) while the URL stays /app/campaigns/<id>. /app/campaigns/new opens an empty editor.

const IdSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{0,79}$/);

function campaignIdOf(params: { id?: string }): string | null {
  if (params.id === "new") return null;
  const id = IdSchema.safeParse(params.id);
  if (!id.success) throw new Response("There is no such campaign", { status: 404, statusText: "Not Found" });
  return id.data;
}

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { shop, mode } = await requireShop(request, context);
  const id = campaignIdOf(params);
  const now = new Date();
  const view = await loadCampaignEditor(await getRuntime(), shop, id, { now, search: "" });
  if (!view) throw new Response("There is no such campaign", { status: 404, statusText: "Not Found" });
  const kind = new URL(request.url).searchParams.get("kind") === "campaign" ? ("campaign" as const) : ("post" as const);
  // `now` travels with the data so a new draft's default window is the same on the server and in the browser.
  return { ...view, kind, embedded: mode === "shopify", now: now.toISOString() };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.campaign ? `${data.campaign.name} · Campaigns · Shelfcast` : "New campaign · Shelfcast" }];

const ActionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("save"), draft: z.string().max(500_000), updatedAt: z.string().max(40).optional() }),
  z.object({ intent: z.literal("delete") }),
]);

type ActionAnswer = { intent: "save"; result: SaveCampaignResult } | { intent: "delete"; ok: boolean; message: string } | { intent: "invalid"; message: string };

export async function action({ request, context, params }: ActionFunctionArgs): Promise<ActionAnswer> {
  const { shop } = await requireShop(request, context);
  const id = campaignIdOf(params);
  const parsed = ActionSchema.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return { intent: "invalid", message: "That request was not understood; reload the page and try again." };
  const runtime = await getRuntime();
  if (parsed.data.intent === "delete") {
    if (!id) return { intent: "delete", ok: false, message: "Nothing to delete: this campaign was never saved." };
    const ok = await deleteCampaign(runtime, shop, id);
    return { intent: "delete", ok, message: ok ? "Campaign deleted" : "This campaign was already deleted." };
  }
  let draft: unknown;
  try {
    draft = JSON.parse(parsed.data.draft);
  } catch {
    return { intent: "invalid", message: "That request was not understood; reload the page and try again." };
  }
  if (typeof draft !== "object" || draft === null) return { intent: "invalid", message: "That request was not understood; reload the page and try again." };
  const existing = id ? { id, updatedAt: parsed.data.updatedAt ?? "" } : undefined;
  return { intent: "save", result: await saveCampaign(runtime, shop, draft as never, { existing }) };
}

export default function CampaignPage() {
  const view = useLoaderData<typeof loader>();
  const navigate = useNavigate();
  const revalidator = useRevalidator();
  const save = useFetcher<typeof action>();
  const remove = useFetcher<typeof action>();
  const search = useFetcher<{ search: string; products: PickableProduct[] }>();
  const { show, toast } = useFeedbackToast(view.embedded);
  const wall = useCallback((ms: number) => instantToWallTime(ms, view.timeZone), [view.timeZone]);
  const initial = useMemo(() => initialDraft(view, view.kind, view.now, wall), [view, wall]);
  // A saved version (a new updatedAt) starts the draft again from what is stored.
  const version = view.campaign?.updatedAt ?? "new";
  const [draft, setDraft] = useState<CampaignDraftState>(initial);
  const [draftVersion, setDraftVersion] = useState(version);
  if (draftVersion !== version) {
    setDraftVersion(version);
    setDraft(initial);
  }
  const [confirmDelete, setConfirmDelete] = useState(false);

  const answer = save.state === "idle" ? save.data : undefined;
  const result = answer?.intent === "save" ? answer.result : null;
  useEffect(() => {
    if (!result?.ok) return;
    show(result.message);
    if (!view.campaign) navigate(`/app/campaigns/${result.id}`);
  }, [result, show, navigate, view.campaign]);
  const removed = remove.state === "idle" ? remove.data : undefined;
  useEffect(() => {
    if (removed?.intent !== "delete") return;
    show(removed.message, { error: !removed.ok });
    navigate("/app/campaigns");
  }, [removed, show, navigate]);

  // While feeds are rebuilt the board is about to change: refresh it every three seconds.
  const rebuilding = view.board?.rebuilding === true;
  useEffect(() => {
    if (!rebuilding) return;
    const timer = setInterval(() => revalidator.state === "idle" && revalidator.revalidate(), 3000);
    return () => clearInterval(timer);
  }, [rebuilding, revalidator]);

  const dirty = JSON.stringify(draftPayload(draft)) !== JSON.stringify(draftPayload(initial));
  const errors = result && !result.ok && draftVersion === version ? result.errors : [];
  const failure = result && !result.ok ? result.message : answer?.intent === "invalid" ? answer.message : null;
  const onSearch = useCallback((q: string) => search.load(`/app/campaigns/products?${new URLSearchParams({ q })}`), [search]);
  const noun = draft.kind === "post" ? "post" : "campaign";
  const productIds = view.board?.products.map((product) => product.productId) ?? [];

  return (
    <Page
      title={view.campaign ? view.campaign.name : `New ${noun}`}
      subtitle={view.campaign ? `${view.campaign.window} (${view.timeZone})` : `Times are in the shop's time zone, ${view.timeZone}.`}
      backAction={{ content: "Campaigns", url: "/app/campaigns" }}
      primaryAction={{
        content: view.campaign ? "Save" : `Create ${noun}`,
        loading: save.state !== "idle",
        disabled: view.campaign !== null && !dirty,
        onAction: () => save.submit({ intent: "save", draft: JSON.stringify(draftPayload(draft)), ...(view.campaign ? { updatedAt: view.campaign.updatedAt } : {}) }, { method: "post" }),
      }}
      secondaryActions={
        view.campaign
          ? [
              confirmDelete
                ? { content: `Confirm: delete this ${noun}`, destructive: true, loading: remove.state !== "idle", onAction: () => remove.submit({ intent: "delete" }, { method: "post" }) }
                : { content: "Delete", destructive: true, onAction: () => setConfirmDelete(true) },
            ]
          : []
      }
    >
      <Layout>
        {failure ? (
          <Layout.Section>
            <Banner tone="critical" title="Nothing was saved">
              <Text as="p">{failure}</Text>
            </Banner>
          </Layout.Section>
        ) : null}
        {view.campaign?.problem ? (
          <Layout.Section>
            <Banner tone="warning" title="The stock rules ignore this campaign">
              <Text as="p">{view.campaign.problem}</Text>
            </Banner>
          </Layout.Section>
        ) : null}
        <StockAlertSections overReservations={view.overReservations} lowStock={view.lowStock} productIds={productIds} />
        {dirty && view.campaign ? (
          <Layout.Section>
            <Banner tone="info">Unsaved changes: the readiness board shows the saved campaign until you save.</Banner>
          </Layout.Section>
        ) : null}
        <Layout.Section>
          <CampaignEditor
            view={view}
            draft={draft}
            onChange={setDraft}
            errors={errors}
            embedded={view.embedded}
            pickable={search.data?.products ?? view.pickable}
            pickerSearch={search.data?.search ?? ""}
            onPickerSearch={onSearch}
            searching={search.state !== "idle"}
          />
        </Layout.Section>
        {view.board ? (
          <Layout.Section>
            <BlockStack gap="400">
              <IgnoredSettingsBanner title="Some stored rules or campaigns are ignored" problems={view.board.problems} />
              <div data-testid="readiness-board">
                <ReadinessBoard board={view.board} embedded={view.embedded} onCopied={(message, error) => show(message, { error })} />
              </div>
            </BlockStack>
          </Layout.Section>
        ) : null}
      </Layout>
      {toast}
    </Page>
  );
}

export function ErrorBoundary() {
  return <PageErrorBoundary title="Campaign" />;
}

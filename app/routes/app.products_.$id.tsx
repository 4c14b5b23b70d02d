import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Await, useLoaderData, useLocation, useNavigate, useSearchParams } from "@remix-run/react";
import {
  Badge,
  Banner,
  BlockStack,
  Box,
  Card,
  DataTable,
  IndexTable,
  InlineStack,
  Layout,
  Page,
  SkeletonBodyText,
  Tabs,
  Tag,
  Text,
  type IndexTableProps,
} from "@shopify/polaris";
import { ExportIcon } from "@shopify/polaris-icons";
import { Suspense, useState } from "react";
import { z } from "zod";
import { requireShop } from "~/.server/auth";
import { getRuntime } from "~/.server/runtime";
import { productChannels } from "~/.server/services/channel-feeds/product-channels";
import { loadProductDetail, type MetafieldView } from "~/.server/services/products";
import { loadProductTimeline, parseTimelineQuery } from "~/.server/services/product-timeline";
import { ProductChannelsCard } from "~/components/channels/ProductChannelsCard";
import { PageErrorBoundary } from "~/components/PageErrorBoundary";
import { SectionCard } from "~/components/SectionCard";
import { useFeedbackToast } from "~/components/channels/useFeedbackToast";
import { ProductTimeline } from "~/components/timeline/ProductTimeline";

// The file is `app.products_.$id.tsx`: the trailing underscore keeps this page out of the list's
// layout (Remix flat routes would otherwise nest it inside app.products.tsx, which has no Outlet),
// while the URL stays /app/products/<id>.

/** The URL carries the numeric part of the GID (`/app/products/8123456789`), as Shopify Admin does. */
const ProductIdSchema = z.string().regex(/^\d{1,20}$/);

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { shop, mode } = await requireShop(request, context);
  const id = ProductIdSchema.safeParse(params.id);
  if (!id.success) throw new Response("Product not found", { status: 404, statusText: "Not Found" });
  const productId = `gid://shopify/Product/${id.data}`;
  // The channel evaluation is streamed: the product shows at once and the Channels card follows,
  // and a failing evaluation costs that card only, not the page.
  const channels = getRuntime().then((runtime) => productChannels(runtime, shop, productId));
  // Marks the promise handled for the case where the detail below throws (404) and nobody awaits it.
  channels.catch(() => undefined);
  const detail = await loadProductDetail(shop, productId);
  // The Timeline tab (`?tab=timeline`, the link the feed issues page gives) loads its first page with the page.
  const searchParams = new URL(request.url).searchParams;
  const timeline = searchParams.get("tab") === "timeline" ? await loadProductTimeline(await getRuntime(), shop, productId, parseTimelineQuery(searchParams)) : null;
  return { ...detail, channels, timeline, embedded: mode === "shopify" };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.product.title} · Shelfcast` : "Product · Shelfcast" }];

/** The list's own URL keys; anything else in the query string is not the list's state. */
const LIST_KEYS = new Set(["query", "status", "vendor", "productType", "tag", "collection", "stock", "page"]);
const TABS = [
  { id: "overview", content: "Overview", panelID: "product-overview" },
  { id: "timeline", content: "Timeline", panelID: "product-timeline-panel" },
];
const STATUS_TONE: Record<string, "success" | "info" | "attention" | undefined> = { ACTIVE: "success", DRAFT: "info", UNLISTED: "attention" };
const CATEGORY_LABEL: Record<string, string> = {
  PRE_ORDER: "Pre-order",
  TRY_BEFORE_YOU_BUY: "Try before you buy",
  SUBSCRIPTION: "Subscription",
  OTHER: "Other",
};
const NUMBER = new Intl.NumberFormat("en-US");
type IndexTableHeading = IndexTableProps["headings"][number];
type NonEmptyArray<T> = [T, ...T[]];

function formatLevel(available: number | undefined): string {
  return available === undefined ? "—" : NUMBER.format(available);
}

function titleCase(value: string): string {
  return value.charAt(0) + value.slice(1).toLowerCase();
}

export default function ProductDetail() {
  const { product, variants, locations, sellingPlanGroups, currencyCode, syncedAt, channels, timeline, embedded } = useLoaderData<typeof loader>();
  const location = useLocation();
  const navigate = useNavigate();
  const [searchParams, setSearchParams] = useSearchParams();
  const { show, toast } = useFeedbackToast(embedded);
  const [downloading, setDownloading] = useState(false);
  const numericId = product.id.slice(product.id.lastIndexOf("/") + 1);

  const selectTab = (index: number) => {
    const params = new URLSearchParams(searchParams);
    if (TABS[index]?.id === "timeline") params.set("tab", "timeline");
    else for (const key of ["tab", "channel", "variant", "before"]) params.delete(key);
    setSearchParams(params, { preventScrollReset: true });
  };

  // Through fetch, not a plain link: inside Shopify Admin, App Bridge adds the session token to fetch.
  const downloadSupportBundle = async () => {
    setDownloading(true);
    try {
      const response = await fetch(`/app/products/${numericId}/support-bundle.json`);
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const filename = /filename="([^"]+)"/.exec(response.headers.get("content-disposition") ?? "")?.[1] ?? `shelfcast-support-${numericId}.json`;
      const url = URL.createObjectURL(await response.blob());
      const link = document.createElement("a");
      link.href = url;
      link.download = filename;
      link.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      show("Support bundle downloaded");
    } catch {
      show("The support bundle could not be built. Try again in a moment.", { error: true });
    } finally {
      setDownloading(false);
    }
  };

  // The list put its filters in our query string; hand them back so "Products" returns to that view.
  const listParams = new URLSearchParams();
  for (const [key, value] of new URLSearchParams(location.search)) if (LIST_KEYS.has(key)) listParams.append(key, value);
  const listUrl = listParams.size > 0 ? `/app/products?${listParams}` : "/app/products";
  const filteredList = (key: string, value: string) => navigate(`/app/products?${new URLSearchParams({ [key]: value })}`);

  const money = (amount: string | null) => {
    if (amount === null) return "—";
    try {
      return new Intl.NumberFormat("en-US", { style: "currency", currency: currencyCode }).format(Number(amount));
    } catch {
      return `${amount} ${currencyCode}`;
    }
  };

  // A column of dashes says nothing; most products have no compare-at price at all.
  const hasCompareAt = variants.some((v) => v.compareAtPrice !== null);
  const variantMetafields = variants.flatMap((v) => v.metafields.map((m) => ({ owner: v.title, metafield: m })));
  const metafieldRows = [...product.metafields.map((m) => ({ owner: "Product", metafield: m })), ...variantMetafields];

  return (
    // Full width: the variants table has seven columns beside a sidebar, which the default page
    // width squeezes into a horizontal scroll.
    <Page
      fullWidth
      backAction={{ content: "Products", url: listUrl }}
      title={product.title}
      titleMetadata={<Badge tone={STATUS_TONE[product.status]}>{titleCase(product.status)}</Badge>}
      subtitle={[product.vendor, product.productType].filter(Boolean).join(" · ") || undefined}
      secondaryActions={[{ content: "Download support bundle", icon: ExportIcon, loading: downloading, onAction: downloadSupportBundle }]}
    >
      {toast}
      <Box paddingBlockEnd="400">
        <Tabs tabs={TABS} selected={timeline ? 1 : 0} onSelect={selectTab} />
      </Box>
      <div role="tabpanel" id={timeline ? "product-timeline-panel" : "product-overview"} aria-labelledby={timeline ? "timeline" : "overview"}>
        {timeline ? (
          <ProductTimeline productNumericId={numericId} timeline={timeline} variants={variants.map((v) => ({ id: v.id, title: v.title }))} />
        ) : (
          <Layout>
            <Layout.Section>
              <BlockStack gap="400">
                <Card padding="0">
                  <Box padding="400">
                    <Text as="h2" variant="headingMd">
                      Variants ({NUMBER.format(variants.length)})
                    </Text>
                  </Box>
                  <IndexTable
                    resourceName={{ singular: "variant", plural: "variants" }}
                    itemCount={variants.length}
                    selectable={false}
                    headings={
                      [
                        { title: "Variant" },
                        { title: "SKU" },
                        { title: "Barcode" },
                        { title: "Price", alignment: "end" },
                        ...(hasCompareAt ? [{ title: "Compare-at", alignment: "end" }] : []),
                        { title: "Available", alignment: "end" },
                        { title: "When sold out" },
                      ] as NonEmptyArray<IndexTableHeading>
                    }
                  >
                    {variants.map((variant, index) => (
                      <IndexTable.Row id={variant.id} key={variant.id} position={index}>
                        <IndexTable.Cell>
                          <div style={{ maxWidth: "16rem" }} title={variant.title}>
                            <Text as="span" fontWeight="semibold" truncate>
                              {variant.title}
                            </Text>
                          </div>
                        </IndexTable.Cell>
                        <IndexTable.Cell>{variant.sku ?? <Text as="span" tone="subdued">No SKU</Text>}</IndexTable.Cell>
                        <IndexTable.Cell>{variant.barcode ?? <Text as="span" tone="subdued">—</Text>}</IndexTable.Cell>
                        <IndexTable.Cell>
                          <Text as="span" alignment="end" numeric>
                            {money(variant.price)}
                          </Text>
                        </IndexTable.Cell>
                        {hasCompareAt ? (
                          <IndexTable.Cell>
                            <Text as="span" alignment="end" numeric tone={variant.compareAtPrice ? undefined : "subdued"}>
                              {money(variant.compareAtPrice)}
                            </Text>
                          </IndexTable.Cell>
                        ) : null}
                        <IndexTable.Cell>
                          <Text as="span" alignment="end" numeric tone={variant.available <= 0 && variant.inventoryPolicy === "DENY" ? "critical" : undefined}>
                            {variant.tracked ? NUMBER.format(variant.available) : "Not tracked"}
                          </Text>
                        </IndexTable.Cell>
                        <IndexTable.Cell>
                          {/* Continue selling is the exception worth spotting (it oversells); stop selling is the default. */}
                          {variant.inventoryPolicy === "CONTINUE" ? (
                            <Badge tone="attention">Continue selling</Badge>
                          ) : (
                            <Text as="span" tone="subdued">
                              Stop selling
                            </Text>
                          )}
                        </IndexTable.Cell>
                      </IndexTable.Row>
                    ))}
                  </IndexTable>
                </Card>

                <Suspense fallback={<ChannelsLoading />}>
                  <Await resolve={channels} errorElement={<ChannelsFailed />}>
                    {(views) =>
                      views ? (
                        <ProductChannelsCard channels={views} embedded={embedded} productId={product.id} />
                      ) : (
                        <SectionCard title="Channels" isEmpty emptyText="This product is not in the catalog snapshot, so no channel can list it yet." />
                      )
                    }
                  </Await>
                </Suspense>

                <SectionCard title="Inventory by location" isEmpty={locations.length === 0} emptyText="No inventory levels were synced for this product (its inventory may not be tracked).">
                  <DataTable
                    columnContentTypes={["text", ...locations.map(() => "numeric" as const), "numeric"]}
                    headings={["Variant", ...locations.map((l) => l.name), "Total"]}
                    rows={variants.map((v) => [
                      v.title,
                      ...locations.map((l) => formatLevel(v.levels[l.id])),
                      NUMBER.format(v.available),
                    ])}
                    totals={["", ...locations.map((l) => NUMBER.format(variants.reduce((sum, v) => sum + (v.levels[l.id] ?? 0), 0))), NUMBER.format(variants.reduce((sum, v) => sum + v.available, 0))]}
                    showTotalsInFooter
                    truncate
                  />
                </SectionCard>

                <SectionCard title="Metafields" isEmpty={metafieldRows.length === 0} emptyText="This product and its variants have no metafields.">
                  <DataTable
                    columnContentTypes={["text", "text", "text", "text"]}
                    headings={["Owner", "Metafield", "Type", "Value"]}
                    rows={metafieldRows.map(({ owner, metafield }) => [owner, <code key="k">{metafield.key}</code>, metafield.type, <MetafieldValue key="v" metafield={metafield} />])}
                  />
                </SectionCard>

                <SectionCard title="Selling plans" isEmpty={sellingPlanGroups.length === 0} emptyText="No selling plans: this product sells only as a one-time purchase.">
                  {sellingPlanGroups.map((group) => (
                    <BlockStack gap="200" key={group.id}>
                      <InlineStack gap="200" blockAlign="center">
                        <Text as="h3" variant="headingSm">
                          {group.name}
                        </Text>
                        {group.merchantCode ? <Text as="span" tone="subdued">{group.merchantCode}</Text> : null}
                      </InlineStack>
                      <Text as="p" tone="subdued">
                        {group.variantIds.length === 0 || group.variantIds.length === variants.length
                          ? "Applies to every variant"
                          : `Applies to ${NUMBER.format(group.variantIds.length)} of ${NUMBER.format(variants.length)} variants: ${variants
                              .filter((v) => group.variantIds.includes(v.id))
                              .map((v) => v.title)
                              .join(", ")}`}
                      </Text>
                      <DataTable
                        columnContentTypes={["text", "text", "text", "text"]}
                        headings={["Plan", "Category", "Delivery", "Inventory"]}
                        rows={group.plans.map((plan) => [
                          plan.name,
                          <Badge key="c" tone={plan.category === "PRE_ORDER" ? "info" : undefined}>
                            {CATEGORY_LABEL[plan.category] ?? plan.category}
                          </Badge>,
                          plan.delivery,
                          plan.reserve,
                        ])}
                      />
                    </BlockStack>
                  ))}
                </SectionCard>
              </BlockStack>
            </Layout.Section>

            <Layout.Section variant="oneThird">
              <BlockStack gap="400">
                <Card>
                  <BlockStack gap="300">
                    <Text as="h2" variant="headingMd">
                      Organization
                    </Text>
                    <Field label="Vendor">
                      {product.vendor ? <Tag onClick={() => filteredList("vendor", product.vendor)}>{product.vendor}</Tag> : "—"}
                    </Field>
                    <Field label="Product type">
                      {product.productType ? <Tag onClick={() => filteredList("productType", product.productType)}>{product.productType}</Tag> : "—"}
                    </Field>
                    <Field label="Category">{product.category ?? "Not set"}</Field>
                    <Field label="Handle">{product.handle}</Field>
                    {product.updatedAt ? <Field label="Updated in Shopify">{product.updatedAt}</Field> : null}
                    <Field label="Synced to Shelfcast">{syncedAt}</Field>
                  </BlockStack>
                </Card>

                <SectionCard title="Options" isEmpty={product.options.length === 0} emptyText="No options.">
                  {product.options.map((option) => (
                    <Field key={option.name} label={option.name}>
                      {option.values.join(", ")}
                    </Field>
                  ))}
                </SectionCard>

                <SectionCard title="Tags" isEmpty={product.tags.length === 0} emptyText="No tags.">
                  <InlineStack gap="200">
                    {/* Each tag opens the product list filtered by it (through Remix, not a bare link). */}
                    {product.tags.map((tag) => (
                      <Tag key={tag} onClick={() => filteredList("tag", tag)}>
                        {tag}
                      </Tag>
                    ))}
                  </InlineStack>
                </SectionCard>

                <SectionCard title="Collections" isEmpty={product.collectionIds.length === 0} emptyText="Not in any collection.">
                  <InlineStack gap="200">
                    {product.collectionIds.map((id) => (
                      <Tag key={id} onClick={() => filteredList("collection", id)}>
                        {`Collection ${id.slice(id.lastIndexOf("/") + 1)}`}
                      </Tag>
                    ))}
                  </InlineStack>
                </SectionCard>
              </BlockStack>
            </Layout.Section>
          </Layout>
        )}
      </div>
    </Page>
  );
}

// The existing titled card: the Channels section keeps its title while it loads or fails.
function ChannelsLoading() {
  return (
    <SectionCard title="Channels" isEmpty={false} emptyText="">
      <SkeletonBodyText lines={4} />
    </SectionCard>
  );
}

function ChannelsFailed() {
  return (
    <SectionCard title="Channels" isEmpty={false} emptyText="">
      <Banner tone="critical" title="The channel check could not run">
        <Text as="p">Shelfcast could not evaluate this product for the channels. Reload to try again; the rest of the page is unaffected.</Text>
      </Banner>
    </SectionCard>
  );
}

function Field({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <BlockStack gap="100">
      <Text as="h3" variant="headingSm" tone="subdued">
        {label}
      </Text>
      <div>{children}</div>
    </BlockStack>
  );
}

function MetafieldValue({ metafield }: { metafield: MetafieldView }) {
  // DataTable cells never wrap; long values (JSON, care guides) wrap here so the table stays narrow.
  return (
    <div style={{ maxWidth: "24rem", whiteSpace: "pre-line", overflowWrap: "anywhere" }}>
      {metafield.type === "color" && /^#[0-9a-f]{6}$/i.test(metafield.display) ? (
        <InlineStack gap="200" blockAlign="center">
          <span aria-hidden style={{ display: "inline-block", width: 16, height: 16, borderRadius: 4, background: metafield.display, border: "1px solid rgba(0,0,0,.2)" }} />
          <span>{metafield.display}</span>
        </InlineStack>
      ) : (
        metafield.display
      )}
    </div>
  );
}

export function ErrorBoundary() {
  return <PageErrorBoundary title="Product" />;
}

import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData, useNavigate, useNavigation, useSearchParams } from "@remix-run/react";
import {
  Badge,
  Card,
  ChoiceList,
  EmptyState,
  IndexFilters,
  IndexFiltersMode,
  IndexTable,
  InlineStack,
  Link,
  Page,
  Text,
  Thumbnail,
  useSetIndexFiltersMode,
  type AppliedFilterInterface,
  type FilterInterface,
} from "@shopify/polaris";
import { ImageIcon } from "@shopify/polaris-icons";
import { useCallback, useMemo } from "react";
import { requireShop } from "~/.server/auth";
import { loadProductsPage } from "~/.server/services/products";
import { PageErrorBoundary } from "~/components/PageErrorBoundary";
import { useDebouncedUrlQuery } from "~/components/useDebouncedUrlQuery";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { shop, mode } = await requireShop(request, context);
  const page = await loadProductsPage(shop, new URL(request.url).searchParams);
  // Product images live on cdn.shopify.com. Inside Shopify Admin that host is reachable by
  // definition, so real thumbnails are shown. The demo runs offline and its generated image URLs
  // point at files that do not exist: loading them would only draw broken images and fill the
  // console with failed requests, so the demo shows Polaris' image placeholder instead.
  return { ...page, showImages: mode === "shopify" };
}

/** The URL keys that make up the list's state; the detail page carries them back to the list. */
const LIST_KEYS = ["query", "status", "vendor", "productType", "tag", "collection", "stock", "page"] as const;
type ListFilterKey = "status" | "vendor" | "productType" | "tag" | "collection" | "stock";

const STATUS_CHOICES = [
  { label: "Active", value: "ACTIVE" },
  { label: "Draft", value: "DRAFT" },
  { label: "Archived", value: "ARCHIVED" },
  { label: "Unlisted", value: "UNLISTED" },
];
const STOCK_CHOICES = [
  { label: "In stock", value: "in_stock" },
  { label: "Low stock (1–5 available)", value: "low" },
  { label: "Sold out (none available)", value: "sold_out" },
];
const STATUS_TONE: Record<string, "success" | "info" | "attention" | undefined> = { ACTIVE: "success", DRAFT: "info", UNLISTED: "attention" };
const NUMBER = new Intl.NumberFormat("en-US");

function numericId(gid: string): string {
  return gid.slice(gid.lastIndexOf("/") + 1);
}

/** Collections are stored by GID only (the snapshot has no collection titles yet). */
function collectionLabel(gid: string): string {
  return `Collection ${numericId(gid)}`;
}

function thumbnailUrl(url: string): string {
  // Shopify's CDN resizes on request: a 40px thumbnail should not download the full photo.
  try {
    const resized = new URL(url);
    resized.searchParams.set("width", "80");
    return resized.toString();
  } catch {
    return url;
  }
}

export default function Products() {
  const { rows, total, page, pageCount, pageSize, filters, facets, showImages } = useLoaderData<typeof loader>();
  const [params, setParams] = useSearchParams();
  const navigation = useNavigation();
  const navigate = useNavigate();
  // Loading a new page of the list, or the product just clicked: either way the table shows it.
  const loading = navigation.state === "loading" && navigation.location.pathname.startsWith("/app/products");

  // While a filter change loads, the controls show the URL being loaded, not the one on screen: a
  // ticked box stays ticked at once, and a second quick click builds on the first instead of
  // undoing it.
  const pendingSearch = navigation.location?.pathname === "/app/products" ? navigation.location.search : null;
  const uiParams = useMemo(() => (pendingSearch === null ? params : new URLSearchParams(pendingSearch)), [pendingSearch, params]);

  /** Every filter change starts again at page 1; the page number belongs to the old result. */
  const updateParams = useCallback(
    (change: (next: URLSearchParams) => void, options: { replace?: boolean } = {}) => {
      const next = new URLSearchParams(uiParams);
      change(next);
      next.delete("page");
      setParams(next, { preventScrollReset: true, replace: options.replace });
    },
    [uiParams, setParams],
  );

  const setList = useCallback(
    (key: ListFilterKey, values: string[]) =>
      updateParams((next) => {
        next.delete(key);
        for (const value of values) next.append(key, value);
      }),
    [updateParams],
  );

  const { queryValue, setQueryValue, clearQuery } = useDebouncedUrlQuery(params.get("query") ?? "", updateParams);

  const hasFilters =
    filters.query !== "" ||
    filters.status.length + filters.vendor.length + filters.productType.length + filters.tag.length + filters.collection.length > 0 ||
    filters.stock !== null;

  // A shared link with filters opens with the filter bar showing them; otherwise it stays closed.
  const { mode, setMode } = useSetIndexFiltersMode(hasFilters ? IndexFiltersMode.Filtering : IndexFiltersMode.Default);

  const clearAll = useCallback(() => {
    clearQuery();
    updateParams((next) => {
      for (const key of LIST_KEYS) next.delete(key);
    });
  }, [clearQuery, updateParams]);

  const filterChoices = useMemo(() => {
    // Settled: the server's parsed filters (unknown values already dropped). Pending: the URL being
    // loaded, keeping only known values for the fixed choice lists.
    const selected = (key: ListFilterKey, settled: string[], known?: { value: string }[]) => {
      if (pendingSearch === null) return settled;
      const values = uiParams.getAll(key);
      return known ? values.filter((v) => known.some((c) => c.value === v)) : values;
    };
    return [
      { key: "status", label: "Status", choices: STATUS_CHOICES, selected: selected("status", filters.status, STATUS_CHOICES), pinned: true },
      { key: "vendor", label: "Vendor", choices: facets.vendors.map((v) => ({ label: v, value: v })), selected: selected("vendor", filters.vendor) },
      { key: "productType", label: "Product type", choices: facets.productTypes.map((v) => ({ label: v, value: v })), selected: selected("productType", filters.productType) },
      { key: "tag", label: "Tag", choices: facets.tags.map((v) => ({ label: v, value: v })), selected: selected("tag", filters.tag) },
      { key: "collection", label: "Collection", choices: facets.collectionIds.map((v) => ({ label: collectionLabel(v), value: v })), selected: selected("collection", filters.collection) },
      { key: "stock", label: "Stock", choices: STOCK_CHOICES, selected: selected("stock", filters.stock ? [filters.stock] : [], STOCK_CHOICES).slice(0, 1), pinned: true, single: true },
    ] satisfies { key: ListFilterKey; label: string; choices: { label: string; value: string }[]; selected: string[]; pinned?: boolean; single?: boolean }[];
  }, [filters, facets, pendingSearch, uiParams]);

  const filterItems: FilterInterface[] = filterChoices.map((f) => ({
    key: f.key,
    label: f.label,
    pinned: f.pinned,
    filter:
      f.choices.length === 0 ? (
        <Text as="p" tone="subdued">
          No {f.label.toLowerCase()} values in this catalog.
        </Text>
      ) : (
        <ChoiceList
          title={f.label}
          titleHidden
          choices={f.choices}
          selected={f.selected}
          allowMultiple={!("single" in f)}
          onChange={(values) => setList(f.key, values)}
        />
      ),
  }));

  const appliedFilters: AppliedFilterInterface[] = filterChoices
    .filter((f) => f.selected.length > 0)
    .map((f) => {
      const labels = f.selected.map((value) => f.choices.find((c) => c.value === value)?.label ?? (f.key === "collection" ? collectionLabel(value) : value));
      return { key: f.key, label: `${f.label}: ${labels.join(", ")}`, onRemove: () => setList(f.key, []) };
    });

  // The list's state rides along to the detail page, so its back action returns to this view.
  const listSearch = useMemo(() => {
    const kept = new URLSearchParams();
    for (const [key, value] of params) if ((LIST_KEYS as readonly string[]).includes(key)) kept.append(key, value);
    return kept.toString();
  }, [params]);
  const pageHref = (target: number) => {
    const next = new URLSearchParams(params);
    if (target <= 1) next.delete("page");
    else next.set("page", String(target));
    const search = next.toString();
    return search ? `/app/products?${search}` : "/app/products";
  };

  const first = total === 0 ? 0 : (page - 1) * pageSize + 1;
  const last = Math.min(total, page * pageSize);

  const emptyState = hasFilters ? (
    <EmptyState heading="No products match these filters" image="/empty-state.svg" action={{ content: "Clear all filters", onAction: clearAll }}>
      <p>Try fewer filters, or search by another title, handle, vendor or SKU.</p>
    </EmptyState>
  ) : (
    <EmptyState heading="Your catalog is empty" image="/empty-state.svg" action={{ content: "Go to dashboard", url: "/app" }}>
      <p>Shelfcast has no products for this shop yet. Run a catalog sync from the dashboard to read them from Shopify.</p>
    </EmptyState>
  );

  return (
    <Page
      title="Products"
      subtitle={`${NUMBER.format(total)} ${total === 1 ? "product" : "products"} ${hasFilters ? "match" : "in the Shelfcast snapshot"}`}
      fullWidth
    >
      <Card padding="0">
        <IndexFilters
          tabs={[{ id: "all-products", content: "All products", isLocked: true }]}
          selected={0}
          onSelect={() => undefined}
          canCreateNewView={false}
          queryValue={queryValue}
          queryPlaceholder="Search by title, handle, vendor or SKU"
          onQueryChange={setQueryValue}
          onQueryClear={() => setQueryValue("")}
          filters={filterItems}
          appliedFilters={appliedFilters}
          onClearAll={clearAll}
          // Closing the filter bar also clears it: active filters hidden behind a closed bar would
          // leave the merchant looking at a narrowed list without saying so.
          cancelAction={{ onAction: clearAll, disabled: false, loading: false }}
          mode={mode}
          setMode={setMode}
          loading={loading}
          // Polaris treats Escape anywhere on the page as Cancel, and Cancel clears the filters
          // here: pressing Escape to close a filter's popover must not throw the filters away.
          disableKeyboardShortcuts
        />
        <IndexTable
          resourceName={{ singular: "product", plural: "products" }}
          itemCount={rows.length}
          selectable={false}
          loading={loading}
          emptyState={emptyState}
          headings={[
            { title: "Product" },
            { title: "Status" },
            { title: "Vendor" },
            { title: "Type" },
            { title: "Variants", alignment: "end" },
            { title: "Available", alignment: "end" },
          ]}
          pagination={
            total > 0
              ? {
                  hasPrevious: page > 1,
                  hasNext: page < pageCount,
                  previousURL: pageHref(page - 1),
                  nextURL: pageHref(page + 1),
                  label: `${NUMBER.format(first)}–${NUMBER.format(last)} of ${NUMBER.format(total)}`,
                }
              : undefined
          }
        >
          {rows.map((row, index) => {
            const href = `/app/products/${numericId(row.id)}${listSearch ? `?${listSearch}` : ""}`;
            return (
              // Polaris only wires a row to its `dataPrimaryLink` after a second render, so the first
              // tap on a fresh row (touch, or right after filtering) did nothing: the row navigates itself.
              <IndexTable.Row id={row.id} key={row.id} position={index} onClick={() => navigate(href)}>
                <IndexTable.Cell>
                  <InlineStack gap="300" blockAlign="center" wrap={false}>
                    <Thumbnail size="small" alt={row.imageAlt ?? ""} source={showImages && row.imageUrl ? thumbnailUrl(row.imageUrl) : ImageIcon} />
                    {/* Real catalogs have 200-character titles: cap the column so the other
                        columns stay on screen; the full title is in the tooltip and on the detail page. */}
                    <div style={{ maxWidth: "min(26rem, 55vw)", minWidth: 0 }} title={row.title}>
                      {/* A real link (Remix's, through Polaris) for keyboards and "open in new tab";
                          the wrapper keeps its click from reaching the row, which would navigate twice. */}
                      <span onClick={(event) => event.stopPropagation()}>
                        <Link url={href} monochrome removeUnderline>
                          <Text as="span" variant="bodyMd" fontWeight="semibold" truncate>
                            {row.title}
                          </Text>
                        </Link>
                      </span>
                      <Text as="p" variant="bodySm" tone="subdued" truncate>
                        {row.handle}
                      </Text>
                    </div>
                  </InlineStack>
                </IndexTable.Cell>
                <IndexTable.Cell>
                  <Badge tone={STATUS_TONE[row.status]}>{row.status.charAt(0) + row.status.slice(1).toLowerCase()}</Badge>
                </IndexTable.Cell>
                <IndexTable.Cell>{row.vendor}</IndexTable.Cell>
                <IndexTable.Cell>{row.productType}</IndexTable.Cell>
                <IndexTable.Cell>
                  <Text as="span" alignment="end" numeric>
                    {NUMBER.format(row.variantCount)}
                  </Text>
                </IndexTable.Cell>
                <IndexTable.Cell>
                  <Text as="span" alignment="end" numeric tone={row.totalAvailable <= 0 ? "critical" : row.totalAvailable <= 5 ? "caution" : undefined}>
                    {NUMBER.format(row.totalAvailable)}
                  </Text>
                </IndexTable.Cell>
              </IndexTable.Row>
            );
          })}
        </IndexTable>
      </Card>
    </Page>
  );
}

export function ErrorBoundary() {
  return <PageErrorBoundary title="Products" />;
}

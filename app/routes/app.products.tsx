import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { Badge, Card, EmptyState, IndexTable, Page, Text, TextField } from "@shopify/polaris";
import { useEffect, useState } from "react";
import { requireShop } from "~/.server/auth";
import { loadProductsPage } from "~/.server/services/products";
import { PageErrorBoundary } from "~/components/PageErrorBoundary";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { shop } = await requireShop(request, context);
  const url = new URL(request.url);
  const query = (url.searchParams.get("query") ?? "").slice(0, 200);
  const page = Math.max(1, Number.parseInt(url.searchParams.get("page") ?? "1", 10) || 1);
  return loadProductsPage(shop, query, page);
}

const STATUS_TONE = { ACTIVE: "success", DRAFT: "info", ARCHIVED: undefined } as const;

export default function Products() {
  const { rows, total, page, pageCount } = useLoaderData<typeof loader>();
  const [params, setParams] = useSearchParams();
  const navigation = useNavigation();
  const [query, setQuery] = useState(params.get("query") ?? "");

  // Search as the merchant types, without a request per keystroke.
  useEffect(() => {
    const timer = setTimeout(() => {
      if ((params.get("query") ?? "") !== query) setParams(query ? { query } : {}, { replace: true });
    }, 300);
    return () => clearTimeout(timer);
  }, [query, params, setParams]);

  const goTo = (next: number) => setParams({ ...(query ? { query } : {}), page: String(next) });

  return (
    <Page title="Products" subtitle={`${total.toLocaleString("en-US")} products in the Shelfcast snapshot`}>
      <Card padding="0">
        <div style={{ padding: "12px" }}>
          <TextField label="Search products" labelHidden placeholder="Search by title" value={query} onChange={setQuery} autoComplete="off" clearButton onClearButtonClick={() => setQuery("")} />
        </div>
        <IndexTable
          resourceName={{ singular: "product", plural: "products" }}
          itemCount={rows.length}
          selectable={false}
          loading={navigation.state === "loading"}
          emptyState={<EmptyState heading="No products match" image="/empty-state.svg"><p>Try another search, or sync the catalog from the dashboard.</p></EmptyState>}
          headings={[{ title: "Product" }, { title: "Status" }, { title: "Vendor" }, { title: "Type" }, { title: "Variants", alignment: "end" }, { title: "Available", alignment: "end" }]}
          pagination={{ hasPrevious: page > 1, hasNext: page < pageCount, onPrevious: () => goTo(page - 1), onNext: () => goTo(page + 1) }}
        >
          {rows.map((row, index) => (
            <IndexTable.Row id={row.id} key={row.id} position={index}>
              <IndexTable.Cell>
                {/* Real catalogs have 200-character titles; keep the other columns on screen. */}
                <div style={{ maxWidth: "28rem" }}>
                  <Text as="span" fontWeight="semibold" truncate>
                    {row.title}
                  </Text>
                </div>
              </IndexTable.Cell>
              <IndexTable.Cell>
                <Badge tone={STATUS_TONE[row.status as keyof typeof STATUS_TONE]}>{row.status.toLowerCase()}</Badge>
              </IndexTable.Cell>
              <IndexTable.Cell>{row.vendor}</IndexTable.Cell>
              <IndexTable.Cell>{row.productType}</IndexTable.Cell>
              <IndexTable.Cell>
                <Text as="span" alignment="end" numeric>
                  {row.variantCount}
                </Text>
              </IndexTable.Cell>
              <IndexTable.Cell>
                <Text as="span" alignment="end" numeric>
                  {row.totalAvailable}
                </Text>
              </IndexTable.Cell>
            </IndexTable.Row>
          ))}
        </IndexTable>
      </Card>
    </Page>
  );
}

export function ErrorBoundary() {
  return <PageErrorBoundary title="Products" />;
}

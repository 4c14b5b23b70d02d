import { Layout } from "@shopify/polaris";
import type { LowStockAlerts } from "~/.server/services/rules/low-stock-alerts";
import type { OverReservation } from "~/domain/rules";
import { LowStockBanner, OverReservationBanner } from "./StockAlerts";

/**
 * The stock alerts as sections of a page's Layout, over-reservations first: the dashboard and the
 * Campaigns pages show them near the top. A section is left out rather than left empty, so the page
 * keeps no gap where there is nothing to say. With `productIds` (one campaign's page) the low-stock
 * section stands whenever the campaign has products; the banner itself then keeps only their alerts.
 */
export function StockAlertSections({
  lowStock,
  productIds,
  overReservations = [],
}: {
  lowStock: LowStockAlerts;
  productIds?: readonly string[];
  overReservations?: readonly OverReservation[];
}) {
  const showLowStock = productIds ? productIds.length > 0 : lowStock.total > 0;
  return (
    <>
      {overReservations.length > 0 ? (
        <Layout.Section>
          <OverReservationBanner found={overReservations} />
        </Layout.Section>
      ) : null}
      {showLowStock ? (
        <Layout.Section>
          <LowStockBanner lowStock={lowStock} productIds={productIds} />
        </Layout.Section>
      ) : null}
    </>
  );
}

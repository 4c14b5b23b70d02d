import { Banner, BlockStack, Link, List, Text } from "@shopify/polaris";
import type { LowStockAlerts } from "~/.server/services/rules/low-stock-alerts";
import type { OverReservation } from "~/domain/rules";
import { numericId } from "~/components/channels/format";

/**
 * Promoted variants running low on a channel (the feeds' `rules.low_stock` warnings). Shown on the
 * dashboard and the Campaigns pages; nothing when none is low.
 */
export function LowStockBanner({ lowStock, productIds }: { lowStock: LowStockAlerts; productIds?: readonly string[] }) {
  const alerts = productIds ? lowStock.alerts.filter((alert) => productIds.includes(alert.productId)) : lowStock.alerts;
  if (alerts.length === 0) return null;
  const total = productIds ? alerts.length : lowStock.total;
  const title = total === 1 ? "1 promoted variant is running low" : `${total.toLocaleString("en-US")} promoted variants are running low`;
  return (
    <div data-testid="low-stock-alert">
      <Banner tone="warning" title={title}>
        <BlockStack gap="200">
          <List type="bullet">
            {alerts.map((alert) => (
              <List.Item key={`${alert.market}|${alert.variantId ?? alert.productId}`}>
                <Link url={`/app/products/${numericId(alert.productId)}`} removeUnderline>
                  {alert.productTitle}
                  {alert.variantTitle ? ` — ${alert.variantTitle}` : ""}
                </Link>
                {": "}
                {alert.channels.map((channel) => `${channel.quantity ?? "?"} on ${channel.label}`).join(", ")}
                {` (${alert.market})`}
              </List.Item>
            ))}
          </List>
          {total > alerts.length ? (
            <Text as="p" tone="subdued">
              And {(total - alerts.length).toLocaleString("en-US")} more.
            </Text>
          ) : null}
          <Text as="p" tone="subdued">
            Restock them, hold more units in their campaign, or pause the promotion. The counts are what the channels were sent at the last feed build.
          </Text>
        </BlockStack>
      </Banner>
    </div>
  );
}

/** Campaigns that together hold more units than channels can have: named, with the stretch of time. */
export function OverReservationBanner({ found, timeZoneNote }: { found: readonly OverReservation[]; timeZoneNote?: string }) {
  if (found.length === 0) return null;
  return (
    <div data-testid="over-reservations">
      <Banner tone="critical" title={found.length === 1 ? "1 variant is over-reserved" : `${found.length} variants are over-reserved`}>
        <BlockStack gap="200">
          <List type="bullet">
            {found.slice(0, 10).map((item) => (
              <List.Item key={`${item.variantId}|${item.market}|${item.from}`}>{item.message}</List.Item>
            ))}
          </List>
          {found.length > 10 ? <Text as="p">And {found.length - 10} more.</Text> : null}
          <Text as="p" tone="subdued">
            Campaigns get their units in start order; the later ones get what is left. Lower a campaign's units, move its window, or restock.
            {timeZoneNote ? ` ${timeZoneNote}` : ""}
          </Text>
        </BlockStack>
      </Banner>
    </div>
  );
}

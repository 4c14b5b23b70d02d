import { CHANNEL_ADAPTERS } from "~/domain/channels/adapters";
import { isChannelId } from "~/domain/channels/types";
import { LOW_STOCK } from "~/domain/rules";
import { listLowStockDiagnostics, variantLabels } from "../../repositories/campaigns";
import type { Runtime } from "../../runtime";

/**
 * Low-stock alerts (issue 6): promoted variants whose quantity exposed on a channel is at or below
 * the rules' `lowStockAt`. The feed build already asks the stock rules' promotion check about every
 * promoted item and stores its `rules.low_stock` warnings with the build, so the alerts are read from
 * the feeds' current builds: exactly the quantities the channels were told, with no second
 * evaluation. Inventory webhooks drive them: a stock change refreshes the product, which rebuilds the
 * feeds (debounced), which replaces the warnings.
 */
export interface LowStockAlert {
  productId: string;
  productTitle: string;
  variantId: string | null;
  variantTitle: string | null;
  market: string;
  /** Each channel with the units it is offered. */
  channels: { channel: string; label: string; quantity: number | null }[];
  /** The stock rules' own words for the lowest one. */
  message: string;
}

export interface LowStockAlerts {
  /** Promoted variants running low, over every market. */
  total: number;
  /** The first of them, lowest quantity first. */
  alerts: LowStockAlert[];
}

/** Rows read at most: a shop with more promoted variants running low has a bigger problem than this list. */
const MAX_ROWS = 2_000;

export async function loadLowStockAlerts(runtime: Runtime, shop: string, limit = 10): Promise<LowStockAlerts> {
  const rows = await listLowStockDiagnostics(runtime.db.sql, shop, LOW_STOCK, MAX_ROWS);
  const grouped = new Map<string, LowStockAlert & { lowest: number }>();
  for (const row of rows) {
    const key = `${row.market}|${row.variantId ?? row.productId}`;
    const label = isChannelId(row.channel) ? CHANNEL_ADAPTERS[row.channel].label : row.channel;
    const quantity = row.quantity ?? Number.POSITIVE_INFINITY;
    const alert = grouped.get(key);
    if (!alert) {
      grouped.set(key, {
        productId: row.productId,
        productTitle: row.productTitle ?? "A product no longer in the catalog",
        variantId: row.variantId,
        variantTitle: null,
        market: row.market,
        channels: [{ channel: row.channel, label, quantity: row.quantity }],
        message: row.message,
        lowest: quantity,
      });
      continue;
    }
    alert.channels.push({ channel: row.channel, label, quantity: row.quantity });
    if (quantity < alert.lowest) {
      alert.lowest = quantity;
      alert.message = row.message;
    }
  }
  const sorted = [...grouped.values()].sort((a, b) => a.lowest - b.lowest || a.productTitle.localeCompare(b.productTitle));
  const shown = sorted.slice(0, limit);
  const labels = await variantLabels(runtime.db.sql, shop, shown.flatMap((alert) => (alert.variantId ? [alert.variantId] : [])));
  return {
    total: sorted.length,
    alerts: shown.map(({ lowest: _lowest, ...alert }) => {
      const title = alert.variantId ? labels.get(alert.variantId)?.title : undefined;
      return { ...alert, variantTitle: title && title !== "Default Title" ? title : null, channels: alert.channels.sort((a, b) => a.channel.localeCompare(b.channel)) };
    }),
  };
}

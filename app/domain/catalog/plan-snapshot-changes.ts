import { hashProduct } from "./content-hash";
import type { Product } from "./types";

export interface StoredVersion {
  contentHash: string;
  shopifyUpdatedAt: Date | null;
}

export interface SnapshotChangePlan {
  /** Products to write: new, or different from what is stored. */
  write: Product[];
  added: number;
  changed: number;
  unchanged: number;
  /** Incoming products older than what is stored: a late read never overwrites a newer one. */
  stale: number;
}

/**
 * Decides which incoming products change the snapshot. A product whose Shopify `updatedAt` is older
 * than the stored one is skipped: it was read before a change we already have. Equal times are
 * written when the content differs, because inventory and selling-plan changes do not move a
 * product's `updatedAt`.
 */
export function planSnapshotChanges(incoming: Product[], stored: ReadonlyMap<string, StoredVersion>): SnapshotChangePlan {
  const plan: SnapshotChangePlan = { write: [], added: 0, changed: 0, unchanged: 0, stale: 0 };
  for (const product of incoming) {
    const current = stored.get(product.id);
    if (!current) {
      plan.added += 1;
      plan.write.push(product);
      continue;
    }
    const incomingTime = product.updatedAt ? Date.parse(product.updatedAt) : Number.NaN;
    const storedTime = current.shopifyUpdatedAt?.getTime() ?? Number.NaN;
    if (!Number.isNaN(incomingTime) && !Number.isNaN(storedTime) && incomingTime < storedTime) {
      plan.stale += 1;
      continue;
    }
    if (hashProduct(product) === current.contentHash) {
      plan.unchanged += 1;
      continue;
    }
    plan.changed += 1;
    plan.write.push(product);
  }
  return plan;
}

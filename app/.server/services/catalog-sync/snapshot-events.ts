import type { Product } from "~/domain/catalog/types";
import { describeRemovals, describeSnapshotWrites, type DescribeOptions } from "~/domain/timeline/product-changes";
import type { SqlExecutor } from "../../db/connection";
import { getSnapshotProducts } from "../../repositories/catalog";
import { recordProductEvents } from "../../repositories/product-events";

/**
 * The timeline events for products about to be written over the snapshot: what changed on each,
 * against its stored version. Only products already stored (`storedIds`) are read back; a new one
 * is described as added. Every way the snapshot is replaced (a full sync's chunks, a file import)
 * describes its writes here, so a product's timeline does not depend on how the change came in.
 */
export async function describeSnapshotChanges(
  sql: SqlExecutor,
  shop: string,
  written: readonly Product[],
  storedIds: ReadonlySet<string> | ReadonlyMap<string, unknown>,
  options: DescribeOptions,
) {
  const previous = await getSnapshotProducts(sql, shop, written.filter((product) => storedIds.has(product.id)).map((product) => product.id));
  return describeSnapshotWrites(previous, written, options);
}

/** The callback `deleteProductsNotSyncedSince` calls in its transaction: a "deleted" event per removed product. */
export function recordRemovalEvents(shop: string, at: Date) {
  return async (tx: SqlExecutor, removed: { id: string; title: string }[]): Promise<void> => {
    await recordProductEvents(tx, shop, describeRemovals(removed, at));
  };
}

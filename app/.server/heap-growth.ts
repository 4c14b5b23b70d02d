import v8 from "node:v8";

/**
 * How far V8 may let its heap grow past the live data between two full collections while a catalog
 * sync runs: 100% (twice the live data). By default V8 allows up to four times, which a sync (a
 * steady stream of short-lived parsed lines and JSON) always reaches: measured on a
 * 100,000-variant catalog, a 250 MB heap for 50 to 60 MB of live data. Twice keeps the heap near
 * 130 MB for 15 to 20% more garbage-collection work during the sync.
 */
const SYNC_HEAP_GROWING_PERCENT = 100;

let holders = 0;

/**
 * Runs `work` with V8's heap growth bounded (see above), restoring V8's own heuristics (flag value 0)
 * once no sync runs. The flag is read at every full collection, so the change takes effect at once.
 */
export async function withBoundedHeapGrowth<T>(work: () => Promise<T>): Promise<T> {
  if (holders === 0 && SYNC_HEAP_GROWING_PERCENT > 0) v8.setFlagsFromString(`--heap-growing-percent=${SYNC_HEAP_GROWING_PERCENT}`);
  holders += 1;
  try {
    return await work();
  } finally {
    holders -= 1;
    if (holders === 0) v8.setFlagsFromString("--heap-growing-percent=0");
  }
}

import v8 from "node:v8";
import { runInNewContext } from "node:vm";

/**
 * How far V8 may let its heap grow past the live data between two full collections while a catalog
 * sync runs: 50% (one and a half times the live data). By default V8 allows up to four times, which
 * a sync (a steady stream of short-lived parsed lines and JSON) always reaches: measured on a
 * 100,000-variant catalog, a 250 MB heap for 50 to 60 MB of live data. With 50% the heap peaks at
 * 107–116 MB (100%: 134–150 MB) and the sync takes as long (scale profile: 18.1–18.4 s against
 * 17.8–20.4 s; ADR 0017).
 */
const SYNC_HEAP_GROWING_PERCENT = 50;

let holders = 0;
let fullCollection: (() => void) | undefined;

/**
 * One full garbage collection, now. V8 computes its next limit from the live data at each full
 * collection, and a process that has not had one since it started (a worker waiting for its first
 * job) still has V8's initial limit: measured, the heap of a new process reached 160–170 MB in the
 * first second of a sync before the bounded growth took effect, 50–60 MB above the rest of the sync.
 * `gc` is taken from a fresh context with the flag on only for that moment, so no other code sees it.
 */
function collectGarbageNow(): void {
  if (!fullCollection) {
    v8.setFlagsFromString("--expose-gc");
    fullCollection = runInNewContext("gc") as () => void;
    v8.setFlagsFromString("--no-expose-gc");
  }
  fullCollection();
}

/**
 * Runs `work` with V8's heap growth bounded (see above), restoring V8's own heuristics (flag value 0)
 * once no sync runs. The flag is read at every full collection, so one collection at the start puts
 * the bound in force at once (measured 22–27 ms with the app's modules loaded; more on a larger heap).
 */
export async function withBoundedHeapGrowth<T>(work: () => Promise<T>): Promise<T> {
  if (holders === 0 && SYNC_HEAP_GROWING_PERCENT > 0) {
    v8.setFlagsFromString(`--heap-growing-percent=${SYNC_HEAP_GROWING_PERCENT}`);
    collectGarbageNow();
  }
  holders += 1;
  try {
    return await work();
  } finally {
    holders -= 1;
    if (holders === 0) {
      v8.setFlagsFromString("--heap-growing-percent=0");
      // The tight limit of the last collection would otherwise stay until the next one, and with it
      // more frequent full collections (pauses) for whatever the process does next: answering webhooks.
      collectGarbageNow();
    }
  }
}

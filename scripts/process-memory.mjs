// The memory settings every long-running Shelfcast process starts with (ADR 0017). They are glibc
// malloc settings, read once when a process starts, so they travel in the environment: the
// package.json `start` and `worker` scripts set them inline (an operator's own value wins), the demo
// launcher and the ingest benchmark pass them to the processes they spawn. Measured on a full sync of
// 102,778 variants on the scale profile: peak resident memory 327–349 MB without them, 267–309 MB
// with them (idle 148–152 MB → 136–144 MB), at the same speed.

/**
 * - `MALLOC_ARENA_MAX=2`: glibc gives every thread that allocates (V8's compiler and garbage
 *   collector threads, libuv's pool) an arena of its own and keeps what is freed there for reuse.
 * - `MALLOC_MMAP_THRESHOLD_=131072`: a block of 128 KB or more (the Buffers a large query parameter
 *   or result passes through) is mapped on its own and given back to the system when freed. Left
 *   alone, glibc raises this threshold up to 32 MB after the first such block is freed, and from
 *   then on keeps those blocks in its heap, which only shrinks from the top.
 */
export const PROCESS_MEMORY_ENV = Object.freeze({
  MALLOC_ARENA_MAX: "2",
  MALLOC_MMAP_THRESHOLD_: "131072",
});

/** The environment for a Shelfcast process to spawn: these settings, unless `env` already sets them. */
export function withProcessMemorySettings(env) {
  return { ...PROCESS_MEMORY_ENV, ...env };
}

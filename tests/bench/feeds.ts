// npm run bench:feeds: map + validate + serialize a seeded catalog for each channel, and for all five
// channels in one pass, against a floor measured in the same run on the same file: read and parse
// every JSONL line and write as many bytes as the single-channel runs write on average. Then the
// five-channel pass on a catalog ten times larger, to show memory stays flat.
// Usage: npm run bench:feeds [-- --variants 100000] [-- --large 1000000] [-- --large 0 to skip]
// Each measurement runs in a fresh child process so its peak memory is its own, started with the
// memory settings the app's processes start with (scripts/process-memory.mjs, ADR 0017).
import { spawnSync } from "node:child_process";
import { createWriteStream, mkdtempSync, rmSync, statSync } from "node:fs";
import { once } from "node:events";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { generateCatalogJsonl } from "../../app/demo/generate-catalog";
import { readFileLines } from "../../app/.server/services/catalog-sync/sources";
import { evaluateCatalogFile } from "../../app/.server/services/channel-feeds/evaluate-catalog-file";
import { demoChannelMappings } from "../../app/demo/demo-channel-rules";
import { CHANNEL_ADAPTERS } from "../../app/domain/channels/adapters";
import { CHANNEL_IDS, type ChannelId } from "../../app/domain/channels/types";
import { createFeedSerializer, type FeedSerializer } from "../../app/domain/feeds/serializer";
import { formatRate, sampleMemory } from "./measure";
import { withProcessMemorySettings } from "../../scripts/process-memory.mjs";

const { values } = parseArgs({
  options: {
    variants: { type: "string", default: "100000" },
    large: { type: "string", default: "1000000" },
    child: { type: "string" },
    file: { type: "string" },
    bytes: { type: "string" },
    work: { type: "string" },
  },
});
const VARIANTS_PER_PRODUCT = 5.23; // the demo generator's average (2,093 variants / 400 products)
const work = values.work ?? mkdtempSync(path.join(tmpdir(), "shelfcast-feeds-bench-"));

interface Measurement {
  ms: number;
  variants: number;
  bytesWritten: number;
  peakRssMb: number;
  peakHeapMb: number;
}

async function writeCatalog(file: string, variants: number): Promise<void> {
  const out = createWriteStream(file);
  const products = Math.ceil(variants / VARIANTS_PER_PRODUCT);
  // "inline" relations: each product's lines together, as one export is grouped, so it streams.
  for (const line of generateCatalogJsonl({ seed: 42, products, now: "2026-11-22T00:00:00Z", relations: "inline" })) {
    if (!out.write(`${line}\n`)) await once(out, "drain");
  }
  out.end();
  await once(out, "finish");
}

/** A file written with back-pressure; `write` returns a promise only when the stream asks to wait. */
class Sink {
  readonly stream;
  bytes = 0;
  constructor(file: string) {
    this.stream = createWriteStream(file);
  }
  write(text: string): Promise<unknown> | undefined {
    return this.stream.write(text) ? undefined : once(this.stream, "drain");
  }
  async close(): Promise<void> {
    this.stream.end();
    await once(this.stream, "finish");
    this.bytes = this.stream.bytesWritten;
  }
}

/** The floor: read and JSON-parse every line, and write `bytes` bytes in slices as the lines go by. */
async function measureFloor(file: string, bytes: number): Promise<Measurement> {
  const memory = sampleMemory();
  const started = performance.now();
  const total = statSync(file).size;
  const sink = new Sink(path.join(work, "floor.out"));
  let read = 0;
  let written = 0;
  let variants = 0;
  for await (const line of readFileLines(file)) {
    const parsed = JSON.parse(line) as { id: string };
    if (parsed.id.startsWith("gid://shopify/ProductVariant/")) variants += 1;
    read += line.length + 1;
    const due = Math.floor((bytes * read) / total) - written;
    if (due > 0) {
      const pending = sink.write("x".repeat(due));
      if (pending) await pending;
      written += due;
    }
  }
  await sink.close();
  return { ms: performance.now() - started, variants, bytesWritten: sink.bytes, ...memory.stop() };
}

/** The real pipeline: read → assemble → defaults → rules → checks → serialize, for the given channels. */
async function measureChannels(file: string, channels: ChannelId[]): Promise<Measurement> {
  const memory = sampleMemory();
  const started = performance.now();
  const outputs = new Map<ChannelId, { sink: Sink; serializer: FeedSerializer }>();
  for (const channel of channels) {
    const adapter = CHANNEL_ADAPTERS[channel];
    const serializer = createFeedSerializer({
      format: adapter.formats[0]!,
      columns: adapter.columns,
      xml: { flavour: "rss-google", title: "bench", link: "https://bench.example", description: "bench" },
    });
    const sink = new Sink(path.join(work, `${channel}.out`));
    await sink.write(serializer.header());
    outputs.set(channel, { sink, serializer });
  }
  const result = await evaluateCatalogFile(
    file,
    {
      channels,
      market: { code: "US", currency: "USD", language: "en" },
      shop: { domain: "bench.myshopify.com", name: "Bench", currency: "USD", storefrontUrl: "https://bench.example" },
      idScheme: "variant-id",
      // The demo shop's rules: TikTok Shop needs a category and a package size before anything is ready.
      mappings: demoChannelMappings(),
      now: new Date("2026-11-22T00:00:00Z"),
    },
    (evaluation) => {
      if (evaluation.records.length === 0) return undefined;
      const output = outputs.get(evaluation.channel)!;
      // One write per product: its records joined.
      let text = "";
      for (const record of evaluation.records) text += output.serializer.record(record);
      return output.sink.write(text);
    },
  );
  let bytesWritten = 0;
  for (const { sink, serializer } of outputs.values()) {
    await sink.write(serializer.footer());
    await sink.close();
    bytesWritten += sink.bytes;
  }
  const variants = result.tallies[0]?.itemsTotal ?? 0;
  return { ms: performance.now() - started, variants, bytesWritten, ...memory.stop() };
}


function runChild(mode: string, file: string, extra: string[] = []): Measurement {
  const child = spawnSync(process.execPath, [...process.execArgv, process.argv[1]!, "--child", mode, "--file", file, "--work", work, ...extra], {
    encoding: "utf8",
    maxBuffer: 16 * 2 ** 20,
    env: withProcessMemorySettings(process.env),
  });
  if (child.status !== 0) throw new Error(`${mode} failed:\n${child.stderr}`);
  const last = child.stdout.trim().split("\n").pop()!;
  return JSON.parse(last) as Measurement;
}

async function child(mode: string): Promise<void> {
  const file = values.file!;
  const result = mode === "floor" ? await measureFloor(file, Number(values.bytes)) : await measureChannels(file, mode === "all" ? [...CHANNEL_IDS] : [mode as ChannelId]);
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

function row(label: string, m: Measurement, floor: Measurement | null): string {
  const ratio = floor ? `${(m.ms / floor.ms).toFixed(2)}x` : "1.00x";
  return `${label.padEnd(24)} ${(m.ms / 1000).toFixed(2).padStart(7)} s ${formatRate(m.variants, m.ms).padStart(12)} ${ratio.padStart(7)} ${String(m.peakRssMb).padStart(6)} MB ${(m.bytesWritten / 2 ** 20).toFixed(1).padStart(8)} MB`;
}

async function main(): Promise<void> {
  const variants = Number(values.variants);
  const large = Number(values.large);
  const file = path.join(work, `catalog-${variants}.jsonl`);
  process.stdout.write(`generating a seeded ${variants.toLocaleString("en-US")}-variant catalog (${work})\n`);
  await writeCatalog(file, variants);
  process.stdout.write(`${"run".padEnd(24)} ${"time".padStart(9)} ${"variants/s".padStart(12)} ${"floor".padStart(7)} ${"peak RSS".padStart(9)} ${"written".padStart(11)}\n`);

  const perChannel = new Map<ChannelId, Measurement>();
  for (const channel of CHANNEL_IDS) perChannel.set(channel, runChild(channel, file));
  const averageBytes = Math.round([...perChannel.values()].reduce((sum, m) => sum + m.bytesWritten, 0) / perChannel.size);
  const floor = runChild("floor", file, ["--bytes", String(averageBytes)]);
  process.stdout.write(`${row("floor (parse + write)", floor, null)}\n`);
  for (const [channel, m] of perChannel) process.stdout.write(`${row(channel, m, floor)}   target ≤ 3x: ${m.ms <= 3 * floor.ms ? "met" : "MISSED"}\n`);
  const all = runChild("all", file);
  process.stdout.write(`${row("all five, one pass", all, floor)}   target ≤ 6x: ${all.ms <= 6 * floor.ms ? "met" : "MISSED"}\n`);

  if (large > 0) {
    const largeFile = path.join(work, `catalog-${large}.jsonl`);
    process.stdout.write(`\ngenerating a seeded ${large.toLocaleString("en-US")}-variant catalog\n`);
    await writeCatalog(largeFile, large);
    const big = runChild("all", largeFile);
    rmSync(largeFile, { force: true });
    process.stdout.write(`${row(`all five, ${large / 1e6}M variants`, big, null)}   peak RSS ${big.peakRssMb} MB vs ${all.peakRssMb} MB at ${variants.toLocaleString("en-US")}; target < 300 MB: ${big.peakRssMb < 300 ? "met" : "MISSED"}\n`);
  }
  if (!values.work) rmSync(work, { recursive: true, force: true });
}

if (values.child) await child(values.child);
else await main();

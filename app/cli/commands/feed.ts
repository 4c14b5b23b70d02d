import { createWriteStream } from "node:fs";
import { once } from "node:events";
import { rename, rm } from "node:fs/promises";
import { CHANNEL_ADAPTERS } from "~/domain/channels/adapters";
import { createFeedSerializer, type FeedSerializer } from "~/domain/feeds/serializer";
import type { FeedFormat } from "~/domain/channels/types";
import { evaluateCatalogFile } from "~/.server/services/channel-feeds/evaluate-catalog-file";
import { CHANNEL_FLAGS, CHANNEL_FLAGS_USAGE, channelRunFromFlags, describeTally, progressReporter } from "../channel-options";
import { parseFlags, UsageError, type Command } from "../command";

export const feedCommand: Command = {
  summary: "Write a channel's feed file from a catalog file (items with errors are left out and counted)",
  usage: [
    "Usage: shelfcast feed --input <file> --channel <channel> --out <file> [--format csv|tsv|xml|json] [options]",
    "",
    ...CHANNEL_FLAGS_USAGE,
    "  --format      the channel's formats: meta csv|xml, tiktok json, tiktok-ads csv, pinterest tsv|csv|xml, google xml|tsv",
    "                (default: the channel's first)",
    "  --out         where to write the feed; written to <out>.partial and renamed when complete",
    "",
    "A summary goes to stderr. Exit codes: 0 written, 2 bad usage or unreadable input.",
    "Items with errors are not in the feed; run `shelfcast validate` for the reasons.",
  ].join("\n"),
  async run(argv, io) {
    const flags = parseFlags(argv, { ...CHANNEL_FLAGS, format: { type: "string" }, out: { type: "string" } });
    const { input, channel, run } = channelRunFromFlags(flags, new Date());
    if (!flags.out) throw new UsageError("--out is required");
    const adapter = CHANNEL_ADAPTERS[channel];
    const format = (flags.format ?? adapter.formats[0]) as FeedFormat;
    if (!adapter.formats.includes(format)) throw new UsageError(`--format for ${channel} must be one of ${adapter.formats.join(", ")}, got "${flags.format}"`);
    run.onProgress = progressReporter(io.err, flags.quiet);
    run.onNotice = (message) => io.err.write(`  note: ${message}\n`);

    const serializer: FeedSerializer = createFeedSerializer({
      format,
      columns: adapter.columns,
      xml: { flavour: "rss-google", title: `${run.shop.name} — ${adapter.label} (${run.market.code})`, link: run.shop.storefrontUrl, description: `Product feed for ${adapter.label}` },
    });
    // Never leave a half-written feed where a channel might fetch it: write aside, rename at the end.
    const partial = `${flags.out}.partial`;
    const out = createWriteStream(partial, { encoding: "utf8" });
    // Returns a promise only when the stream asks to wait, so most products cost no await.
    const write = (text: string): Promise<unknown> | undefined => (out.write(text) ? undefined : once(out, "drain"));
    try {
      await write(serializer.header());
      const result = await evaluateCatalogFile(input, run, (evaluation) => {
        if (evaluation.records.length === 0) return undefined;
        let text = "";
        for (const record of evaluation.records) text += serializer.record(record);
        return write(text);
      });
      await write(serializer.footer());
      out.end();
      await once(out, "finish");
      await rename(partial, flags.out);
      for (const problem of result.problems) io.err.write(`  input problem: ${problem}\n`);
      const [tally] = result.tallies;
      if (tally) io.err.write(`${describeTally(`${channel} ${run.market.code} (${result.format})`, tally)}\nwrote ${flags.out} (${format})\n`);
      return 0;
    } catch (error) {
      out.destroy();
      await rm(partial, { force: true });
      throw error;
    }
  },
};

import { createWriteStream } from "node:fs";
import { once } from "node:events";
import { rename, rm } from "node:fs/promises";
import { CHANNEL_ADAPTERS } from "~/domain/channels/adapters";
import { createFeedSerializer, type FeedSerializer } from "~/domain/feeds/serializer";
import type { FeedFormat } from "~/domain/channels/types";
import { evaluateCatalogFile } from "~/.server/services/channel-feeds/evaluate-catalog-file";
import { CHANNEL_FLAGS, CHANNEL_FLAGS_USAGE, channelRunFromFlags, describeTally, progressReporter } from "../channel-options";
import { parseFlags, UsageError, type Command } from "../command";
import { instantFromFlag, offerPolicyFromFlags, RULES_FLAGS, RULES_FLAGS_USAGE } from "../rules-options";
import type { OfferPolicy } from "~/domain/rules/offer-policy";

export const feedCommand: Command = {
  summary: "Write a channel's feed file from a catalog file (items with errors are left out and counted)",
  usage: [
    "Usage: shelfcast feed --input <file> --channel <channel> --out <file> [--format csv|tsv|xml|json] [options]",
    "",
    ...CHANNEL_FLAGS_USAGE,
    ...RULES_FLAGS_USAGE,
    "  --format      the channel's formats: meta csv|xml, tiktok json, tiktok-ads csv, pinterest tsv|csv|xml, google xml|tsv",
    "                (default: the channel's first)",
    "  --out         where to write the feed; written to <out>.partial and renamed when complete",
    "",
    "Quantities and availability follow the stock rules and campaigns (the channels in play share the",
    "stock); without --rules, Shopify's stock as it is. A product tagged for a post or campaign with no",
    "hold, buffer or dated pre-order on the channel is left out (rules.promoted_without_reservation).",
    "A summary goes to stderr. Exit codes: 0 written, 2 bad usage, an invalid rules or campaigns file,",
    "or unreadable input. Items with errors are not in the feed; run `shelfcast validate` for the reasons.",
  ].join("\n"),
  async run(argv, io) {
    const flags = parseFlags(argv, { ...CHANNEL_FLAGS, ...RULES_FLAGS, format: { type: "string" }, out: { type: "string" } });
    const at = instantFromFlag(flags.at, new Date());
    const { input, channel, run } = channelRunFromFlags(flags, at);
    if (!flags.out) throw new UsageError("--out is required");
    const adapter = CHANNEL_ADAPTERS[channel];
    const format = (flags.format ?? adapter.formats[0]) as FeedFormat;
    if (!adapter.formats.includes(format)) throw new UsageError(`--format for ${channel} must be one of ${adapter.formats.join(", ")}, got "${flags.format}"`);
    const offers = offerPolicyFromFlags(flags, at);
    run.offers = offers;
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
      io.err.write(`${describeOffers(offers, flags)}\n`);
      return 0;
    } catch (error) {
      out.destroy();
      await rm(partial, { force: true });
      throw error;
    }
  },
};

/** One line on what decided the quantities, so a run with the wrong files is noticed. */
function describeOffers(policy: OfferPolicy, flags: { rules?: string; campaigns?: string }): string {
  if (policy.source === "stock") return `offers: Shopify's stock as it is (no --rules or --campaigns)`;
  const rules = flags.rules ? `stock rules ${flags.rules} (${policy.rules.rules.length} ${policy.rules.rules.length === 1 ? "rule" : "rules"})` : "no stock rules";
  const campaigns = flags.campaigns ? `, campaigns ${flags.campaigns} (${policy.campaigns.length})` : "";
  return `offers: ${rules}${campaigns} at ${policy.now.toISOString()}`;
}

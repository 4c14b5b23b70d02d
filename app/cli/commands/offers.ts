import { existsSync } from "node:fs";
import { readCatalogFile } from "~/.server/services/catalog-files/read-catalog-file";
import { CHANNEL_IDS, isChannelId, type ChannelId } from "~/domain/channels/types";
import { channelsInPlayFor, evaluateChannels, inventoryOf, overReservationsFor, type Offer } from "~/domain/rules";
import { defaultRules } from "~/domain/rules/offer-policy";
import { progressReporter } from "../channel-options";
import { parseFlags, UsageError, type Command } from "../command";
import { RULES_FLAGS, RULES_FLAGS_USAGE, rulesFromFlags } from "../rules-options";

/** The stable JSON line shape scripts read; keep these keys. */
function offerLine(fields: { variantId: string; productId: string; channel: ChannelId; market: string; offer: Offer }): string {
  const { offer } = fields;
  return JSON.stringify({
    variantId: fields.variantId,
    productId: fields.productId,
    channel: fields.channel,
    market: fields.market,
    quantity: offer.quantity,
    availability: offer.availability,
    availabilityDate: offer.availabilityDate,
    message: offer.message,
    reasons: offer.reasons,
  });
}

export const offersCommand: Command = {
  summary: "Print what each variant is offered as on each channel under stock rules, campaigns and pre-orders",
  usage: [
    "Usage: shelfcast offers --input <file> --rules <rules.json> --channel <channel|all> [--campaigns <campaigns.json>] [--market US] [--at <ISO time>] [--json]",
    "",
    "  --input       Shopify bulk-operation JSONL, a products JSON export ({\"products\": [...]}) or Shopify's product CSV",
    ...RULES_FLAGS_USAGE,
    `  --channel     ${CHANNEL_IDS.join(" | ")} | all (the channels in play: the rules' "channels", else every channel)`,
    "  --market      country code of the market (default US)",
    "  --json        one JSON object per variant and channel:",
    "                {variantId, productId, channel, market, quantity, availability, availabilityDate, message, reasons}",
    "  --quiet       no progress on stderr",
    "",
    "Stock is split between the channels in play, so quantities add up to at most what can be sold.",
    "Over-reservations (campaigns holding more than there is) and a summary go to stderr.",
    "Exit codes: 0 success, 2 bad usage, an invalid rules or campaigns file, or unreadable input.",
  ].join("\n"),
  async run(argv, io) {
    const flags = parseFlags(argv, {
      ...RULES_FLAGS,
      input: { type: "string" },
      channel: { type: "string" },
      market: { type: "string" },
      json: { type: "boolean" },
      quiet: { type: "boolean" },
    });
    if (!flags.input) throw new UsageError("--input is required");
    if (!existsSync(flags.input)) throw new UsageError(`--input ${flags.input}: no such file`);
    if (!flags.rules) throw new UsageError("--rules is required (a stock rules JSON file; { \"version\": 1 } applies none)");
    if (!flags.channel) throw new UsageError(`--channel is required (${CHANNEL_IDS.join(", ")} or all)`);
    if (flags.channel !== "all" && !isChannelId(flags.channel)) throw new UsageError(`--channel must be one of ${CHANNEL_IDS.join(", ")} or all, got "${flags.channel}"`);
    const market = (flags.market ?? "US").toUpperCase();
    if (!/^[A-Z]{2}$/.test(market)) throw new UsageError(`--market must be a country code such as US, got "${flags.market}"`);
    const loaded = rulesFromFlags(flags, new Date());
    const { campaigns, now } = loaded;
    const rules = loaded.rules ?? defaultRules();
    const inPlay = channelsInPlayFor(rules);
    const printed: ChannelId[] = flags.channel === "all" ? inPlay : [flags.channel as ChannelId];
    const channels = [...new Set([...inPlay, ...printed])];

    const file = await readCatalogFile(flags.input, { onProgress: progressReporter(io.err, flags.quiet) });
    let variants = 0;
    let overReserved = 0;
    for await (const product of file.products) {
      for (const variant of product.variants) {
        variants += 1;
        const inventory = inventoryOf(variant);
        const split = evaluateChannels(rules, { product, variant }, inventory, campaigns, channels, market, now);
        for (const channel of printed) {
          const offer = split.offers[channel] as Offer;
          if (flags.json) io.out.write(`${offerLine({ variantId: variant.id, productId: product.id, channel, market, offer })}\n`);
          else io.out.write(`${variant.id} ${channel} ${offer.availability} ${offer.quantity ?? "-"} "${offer.message}"\n    ${offer.reason}\n`);
        }
        for (const over of overReservationsFor(rules, { product, variant }, inventory, campaigns, market, now)) {
          overReserved += 1;
          io.err.write(`  warning: over-reserved: ${over.message}\n`);
        }
      }
    }
    for (const problem of file.problems()) io.err.write(`  input problem: ${problem.message}\n`);
    io.err.write(
      `offers ${market} at ${now.toISOString()} (${file.format}): ${variants.toLocaleString("en-US")} variants × ${printed.length} ${printed.length === 1 ? "channel" : "channels"}` +
        ` (stock shared by ${channels.join(", ")}); ${overReserved} over-reservations\n`,
    );
    return 0;
  },
};

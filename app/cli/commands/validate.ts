import { evaluateCatalogFile } from "~/.server/services/channel-feeds/evaluate-catalog-file";
import type { Diagnostic } from "~/domain/channels/types";
import { CHANNEL_FLAGS, CHANNEL_FLAGS_USAGE, channelRunFromFlags, describeTally, progressReporter } from "../channel-options";
import { parseFlags, type Command } from "../command";
import { instantFromFlag, offerPolicyFromFlags, RULES_FLAGS, RULES_FLAGS_USAGE } from "../rules-options";

/** The stable JSON line shape support scripts and CI read; keep these keys. */
function diagnosticLine(d: Diagnostic): string {
  return JSON.stringify({
    code: d.code,
    severity: d.severity,
    channel: d.channel,
    itemId: d.itemId,
    productId: d.productId,
    variantId: d.variantId,
    field: d.field,
    message: d.message,
    fix: d.fix,
    value: d.value,
  });
}

export const validateCommand: Command = {
  summary: "Check a catalog file against a channel's rules and list every problem with its fix",
  usage: [
    "Usage: shelfcast validate --input <file> --channel <channel> [--json] [options]",
    "",
    ...CHANNEL_FLAGS_USAGE,
    ...RULES_FLAGS_USAGE,
    "  --json        one JSON object per line: {code, severity, channel, itemId, productId, variantId, field, message, fix, value}",
    "",
    "A summary and progress go to stderr. Exit codes: 0 no errors (warnings allowed), 1 at least one",
    "error, 2 bad usage, an invalid rules or campaigns file, or unreadable input.",
  ].join("\n"),
  async run(argv, io) {
    const flags = parseFlags(argv, { ...CHANNEL_FLAGS, ...RULES_FLAGS, json: { type: "boolean" } });
    const at = instantFromFlag(flags.at, new Date());
    const { input, channel, run } = channelRunFromFlags(flags, at);
    // The same offers and promotion check as `feed`, so every item left out of a feed is listed here.
    run.offers = offerPolicyFromFlags(flags, at);
    run.onProgress = progressReporter(io.err, flags.quiet);
    run.onNotice = (message) => io.err.write(`  note: ${message}\n`);
    const result = await evaluateCatalogFile(input, run, (evaluation) => {
      for (const diagnostic of evaluation.diagnostics) {
        if (flags.json) io.out.write(`${diagnosticLine(diagnostic)}\n`);
        else io.out.write(`${diagnostic.severity.toUpperCase()} ${diagnostic.code} ${diagnostic.itemId} ${diagnostic.field}: ${diagnostic.message}\n    fix: ${diagnostic.fix}\n`);
      }
    });
    for (const problem of result.problems) io.err.write(`  input problem: ${problem}\n`);
    const [tally] = result.tallies;
    if (!tally) throw new Error("no tally");
    io.err.write(`${describeTally(`${channel} ${run.market.code} (${result.format})`, tally)}; ${tally.errors} errors, ${tally.warnings} warnings\n`);
    return tally.errors > 0 ? 1 : 0;
  },
};

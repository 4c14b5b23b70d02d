import { isChannelId, type ChannelId } from "../types";
import { parseMappingRules, type ChannelMappingSet } from "./schema";

export type MappingFileResult = { ok: true; mappings: ChannelMappingSet } | { ok: false; errors: string[] };

/**
 * A mapping file (the CLI's `--mapping`, the demo's rules) is either one rule set, applied to
 * `channel` in every market, or a list of `{channel, market, rules}` entries as the app stores them.
 * Errors name the path ("[0].rules.fields.title[0].source: …").
 */
export function parseMappingFile(json: unknown, channel: ChannelId): MappingFileResult {
  const listed = Array.isArray(json);
  const entries: unknown[] = listed ? json : [{ channel, market: "*", rules: json }];
  const mappings: ChannelMappingSet = [];
  const errors: string[] = [];
  entries.forEach((entry, index) => {
    const where = listed ? `[${index}].` : "";
    if (typeof entry !== "object" || entry === null) {
      errors.push(`${where || "(root)"}: expected an object`);
      return;
    }
    const { channel: entryChannel, market, rules } = entry as { channel?: unknown; market?: unknown; rules?: unknown };
    if (typeof entryChannel !== "string" || !isChannelId(entryChannel) || typeof market !== "string") {
      errors.push(`${where}channel/market: each entry needs a known "channel" and a "market" string`);
      return;
    }
    const parsed = parseMappingRules(rules);
    if (!parsed.ok) {
      for (const error of parsed.errors) errors.push(`${where}rules${error.path === "(root)" ? "" : `.${error.path}`}: ${error.message}`);
      return;
    }
    mappings.push({ channel: entryChannel, market, rules: parsed.rules });
  });
  return errors.length > 0 ? { ok: false, errors } : { ok: true, mappings };
}

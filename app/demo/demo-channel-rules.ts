import { parseMappingFile } from "~/domain/channels/mapping/mapping-file";
import type { ChannelMappingSet } from "~/domain/channels/mapping/schema";
import demoRules from "./channel-rules.json";

/**
 * The demo shop's mapping rules (TikTok Shop categories and package sizes), parsed once. The demo
 * shop starts with them, the feed benchmark and the golden tests use them, and the CLI takes the same
 * JSON file with `--mapping app/demo/channel-rules.json`.
 */
export function demoChannelMappings(): ChannelMappingSet {
  const parsed = parseMappingFile(demoRules, "tiktok");
  if (!parsed.ok) throw new Error(`app/demo/channel-rules.json is invalid: ${parsed.errors.join("; ")}`);
  return parsed.mappings;
}

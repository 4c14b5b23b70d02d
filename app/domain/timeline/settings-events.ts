import { stableStringify } from "../catalog/content-hash";
import { channelShortName, type NewProductEvent } from "./events";

/**
 * Shop-wide events for a merchant's own changes: mapping rules of a channel, stock rules. They
 * show on every product's timeline, because either can change what any product becomes on a channel.
 */
const SUMMARY_SENTENCES = 2;

function sentencesSummary(sentences: readonly string[]): string {
  if (sentences.length === 0) return "no change in effect";
  const shown = sentences.slice(0, SUMMARY_SENTENCES).join("; ");
  return sentences.length > SUMMARY_SENTENCES ? `${shown}; and ${sentences.length - SUMMARY_SENTENCES} more` : shown;
}

/** `sentences`: describeRulesChange(before, after) of app/domain/channels/mapping/diff.ts. */
export function describeMappingSave(input: { channel: string; market: string; revision: number; sentences: readonly string[]; at: Date }): NewProductEvent {
  const market = input.market === "*" ? "all markets" : input.market;
  return {
    productId: null,
    channel: input.channel,
    at: input.at,
    kind: "mapping.changed",
    summary: `${channelShortName(input.channel)} mapping rules saved (${market}): ${sentencesSummary(input.sentences)}`,
    details: { market: input.market, revision: input.revision, lines: [...input.sentences] },
  };
}

/** Stock rules or campaigns saved; `sentences` say what changed where the saver can tell. */
export function describeRulesSave(input: { what: string; revision: number; sentences: readonly string[]; at: Date; channel?: string | null }): NewProductEvent {
  return {
    productId: null,
    channel: input.channel ?? null,
    at: input.at,
    kind: "rules.changed",
    summary: `${input.what} saved (revision ${input.revision}): ${sentencesSummary(input.sentences)}`,
    details: { revision: input.revision, lines: [...input.sentences] },
  };
}

/**
 * Which top-level sections of a settings document changed ("reserves changed", "caps added"), for
 * documents without a diff of their own. `version` is left out: it says nothing a merchant changed.
 */
export function describeSectionChanges(before: unknown, after: unknown): string[] {
  const asRecord = (value: unknown): Record<string, unknown> => (typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {});
  const old = asRecord(before);
  const next = asRecord(after);
  const keys = [...new Set([...Object.keys(old), ...Object.keys(next)])].filter((key) => key !== "version").sort();
  return keys.flatMap((key) => {
    if (!(key in old)) return [`${key} added`];
    if (!(key in next)) return [`${key} removed`];
    return stableStringify(old[key]) === stableStringify(next[key]) ? [] : [`${key} changed`];
  });
}

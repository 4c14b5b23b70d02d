import { existsSync, readFileSync } from "node:fs";
import { parseCampaigns, parseInstant, parseRules, type Campaign, type ParseResult, type Rules } from "~/domain/rules";
import { createOfferPolicy, type OfferPolicy } from "~/domain/rules/offer-policy";
import { UsageError } from "./command";

/** Flags `offers`, `feed` and `validate` share for stock rules, campaigns and the instant; parseArgs option shapes. */
export const RULES_FLAGS = {
  rules: { type: "string" },
  campaigns: { type: "string" },
  at: { type: "string" },
} as const;

export const RULES_FLAGS_USAGE = [
  "  --rules       stock rules JSON (version 1): reserves, floors, caps, channel weights, continue selling, pre-orders",
  "  --campaigns   campaign reservations JSON (version 1): units held per channel during a window",
  "  --at          the instant to evaluate at, with its offset, e.g. 2026-03-01T09:00:00-05:00 (default now)",
];

type RulesFlagValues = { [K in keyof typeof RULES_FLAGS]?: string };

/** `--at`, or `fallback` when absent; a UsageError for anything but an instant with its offset. */
export function instantFromFlag(at: string | undefined, fallback: Date): Date {
  if (at === undefined) return fallback;
  const instant = parseInstant(at);
  if (instant === null) throw new UsageError(`--at must be an ISO 8601 date-time with its offset, e.g. 2026-03-01T09:00:00-05:00, got "${at}"`);
  return new Date(instant);
}

function readJsonFile(flag: string, path: string): unknown {
  if (!existsSync(path)) throw new UsageError(`--${flag} ${path}: no such file`);
  try {
    return JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new UsageError(`--${flag} ${path} is not JSON: ${(error as Error).message}`);
  }
}

function parsedOrUsage<T>(flag: string, path: string, result: ParseResult<T>): T {
  if (result.ok) return result.value;
  throw new UsageError(`--${flag} ${path} is invalid:\n  ${result.errors.map((error) => error.text).join("\n  ")}`);
}

export interface RulesFromFlags {
  /** The rules file's rules; null without --rules. */
  rules: Rules | null;
  campaigns: Campaign[];
  now: Date;
}

/**
 * Reads --rules, --campaigns and --at; a UsageError (exit 2) for a missing or unreadable file, or an
 * invalid one (the message names the rule or campaign and the field).
 */
export function rulesFromFlags(flags: RulesFlagValues, now: Date): RulesFromFlags {
  const at = instantFromFlag(flags.at, now);
  const rules = flags.rules ? parsedOrUsage("rules", flags.rules, parseRules(readJsonFile("rules", flags.rules))) : null;
  const campaigns = flags.campaigns ? parsedOrUsage("campaigns", flags.campaigns, parseCampaigns(readJsonFile("campaigns", flags.campaigns))).campaigns : [];
  return { rules, campaigns, now: at };
}

/**
 * The offers a pipeline run uses, exactly as the app decides them (createOfferPolicy): the rules and
 * campaigns when given, else Shopify's stock; the promotion check always.
 */
export function offerPolicyFromFlags(flags: RulesFlagValues, now: Date): OfferPolicy {
  return createOfferPolicy(rulesFromFlags(flags, now));
}

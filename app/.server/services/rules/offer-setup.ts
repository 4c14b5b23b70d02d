import { parseRules, type Campaign, type Rules } from "~/domain/rules";
import { createOfferPolicy, type OfferPolicy } from "~/domain/rules/offer-policy";
import { getStockRules } from "../../repositories/stock-rules";
import type { Runtime } from "../../runtime";
import { loadCampaigns } from "./campaigns-store";

/**
 * A shop's offers at one instant: its stored stock rules and its campaigns, turned into the channel
 * pipeline's offer resolver and promotion check. Feeds, API pushes, the product page, the mapping
 * preview and the Rules simulator all load this, so every consumer tells a channel the same thing.
 */
export interface OfferSetup extends OfferPolicy {
  /** The stored rules, parsed; the defaults (the empty document) when none are stored or they are invalid. */
  rules: Rules;
  campaigns: Campaign[];
  /** Stored rules or campaigns that failed validation and were left out, in words support can read. */
  problems: string[];
  /** The stored document's revision; 0 when none is stored. */
  revision: number;
}

export async function loadOfferSetup(runtime: Runtime, shop: string, now: Date): Promise<OfferSetup> {
  const [row, loaded] = await Promise.all([getStockRules(runtime.db.sql, shop), loadCampaigns(runtime, shop)]);
  const problems = [...loaded.problems];
  let rules: Rules | null = null;
  if (row) {
    const parsed = parseRules(row.document);
    if (parsed.ok) rules = parsed.value;
    else problems.push(`stock rules (revision ${row.revision}) ignored, so channels get Shopify's stock: ${parsed.errors.map((error) => error.text).join("; ")}`);
  }
  const policy = createOfferPolicy({ rules, campaigns: loaded.campaigns, now });
  return { ...policy, rules: policy.rules, campaigns: loaded.campaigns, problems, revision: row?.revision ?? 0 };
}

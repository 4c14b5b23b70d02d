import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { errorsUnder } from "../../../app/components/channels/mapping-draft";
import {
  errorAt,
  errorFor,
  isPlacedInRuleForm,
  isPlacedInSettings,
  newRuleDraft,
  ruleDocumentFrom,
  ruleDraftFrom,
  settingsDraftFrom,
  withRules,
  withSettings,
} from "../../../app/components/rules/rule-draft";
import { parseRules } from "../../../app/domain/rules";
import { describeRule, describeScope } from "../../../app/domain/rules/describe";

const RULES_FILE = JSON.parse(readFileSync(path.resolve(__dirname, "../../fixtures/rules/rules.json"), "utf8")) as { rules: Record<string, unknown>[] };

describe("the Rules form's drafts", () => {
  it("round-trips every rule of the example file as written", () => {
    for (const rule of RULES_FILE.rules) expect(ruleDocumentFrom(ruleDraftFrom(rule))).toEqual(rule);
  });

  it("writes only what was filled in, and leaves text that is not a number for the server to name", () => {
    const draft = { ...newRuleDraft(["rule-1"]), scopeKind: "tag" as const, scopeValue: " limited ", reservePercent: "10", cap: "lots", markets: "us, ca" };
    expect(draft.id).toBe("rule-2");
    const written = ruleDocumentFrom({ ...draft, channels: { ...draft.channels, tiktok: { cap: "", floor: "", weight: "2" } } });
    expect(written).toEqual({ id: "rule-2", scope: { tag: "limited" }, markets: ["US", "CA"], reserve: { percent: 10 }, cap: "lots", channels: { tiktok: { weight: 2 } } });
    const parsed = parseRules({ version: 1, rules: [written] });
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    // The server's error lands on the box it is about.
    const forRule = errorsUnder(parsed.errors, "rules[0]");
    expect(errorFor(forRule, "cap")).toBe('expected a whole number of units (0 or more), got "lots"');
    expect(errorFor(forRule, "reserve.percent")).toBeUndefined();
    expect(forRule.every((error) => isPlacedInRuleForm(error.path))).toBe(true);
  });

  it("places group errors on their group and leaves unknown paths to the banner", () => {
    const parsed = parseRules({ version: 1, rules: [{ id: "x", scope: "shop", reserve: {}, preorder: {} }] });
    if (parsed.ok) throw new Error("expected errors");
    const forRule = errorsUnder(parsed.errors, "rules[0]");
    expect(errorAt(forRule, "reserve")).toBe('give "units", "percent" or both');
    expect(errorAt(forRule, "preorder")).toBe('give "cap", "releaseDate" or both');
    expect(isPlacedInRuleForm("channels.myspace")).toBe(false);
    expect(isPlacedInRuleForm("channels.tiktok.weight")).toBe(true);
    expect(isPlacedInSettings("lowStockAt")).toBe(true);
    expect(isPlacedInSettings("rules[0].cap")).toBe(false);
  });

  it("edits the settings without touching the rest of the document", () => {
    const document = { version: 1, markets: { US: { locations: ["1"] } }, preorder: { capMetafields: ["x.y"] }, rules: [{ id: "a", scope: "shop", floor: 1 }] };
    const settings = settingsDraftFrom(document);
    expect(settings).toEqual({ channels: [], lowStockAt: "", metaPreorder: "" });
    const edited = withSettings(document, { channels: ["tiktok", "meta"], lowStockAt: "3", metaPreorder: "available for order" });
    expect(edited).toEqual({ ...document, channels: ["meta", "tiktok"], lowStockAt: 3, preorder: { capMetafields: ["x.y"], meta: "available for order" } });
    expect(withSettings(edited, { channels: [], lowStockAt: "", metaPreorder: "" })).toEqual(document);
    expect(withRules(document, [])).toEqual({ ...document, rules: [] });
  });
});

describe("rules in words", () => {
  const parsed = parseRules(RULES_FILE);
  if (!parsed.ok) throw new Error("the example rules are valid");
  const [shopDefault, summer, candles, preorders, variantCap] = parsed.value.rules;

  it("says what each rule covers and does", () => {
    expect(describeRule(shopDefault!)).toBe("keeps 10% for the web store; 0 at 2 or fewer; TikTok Shop double share");
    expect(describeScope(shopDefault!.scope)).toBe("Whole shop");
    expect(describeRule(summer!)).toBe("Google at most 10");
    expect(describeScope(summer!.scope)).toBe("Collection 501");
    expect(describeRule(candles!)).toBe("sells up to 12 past zero");
    expect(describeScope(candles!.scope)).toBe("Product type “Candles”");
    expect(describeRule(preorders!)).toBe("up to 30 pre-orders");
    expect(describeRule(variantCap!)).toBe("at most 1 per channel");
    expect(describeScope(variantCap!.scope, { "gid://shopify/ProductVariant/100102": "Linen Shirt — M" })).toBe("Variant “Linen Shirt — M”");
  });

  it("names both reserve amounts, weights and markets", () => {
    const rules = parseRules({
      version: 1,
      rules: [{ id: "r", scope: { tag: "x" }, markets: ["US"], reserve: { units: 5, percent: 10 }, channels: { meta: { weight: 0 }, google: { weight: 1.5, floor: 3 } }, preorder: { releaseDate: "2027-01-12" } }],
    });
    if (!rules.ok) throw new Error("valid");
    expect(describeRule(rules.value.rules[0]!)).toBe(
      "keeps the larger of 5 units and 10% for the web store; Meta campaign holds only; Google 1.5× share; Google 0 at 3 or fewer; pre-orders shipping 12 Jan 2027; only in US",
    );
  });
});

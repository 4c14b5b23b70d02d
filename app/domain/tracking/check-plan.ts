/**
 * The plan checks of pixel-consent.md §(c): 3, 4, 5, 6, 7, 9, 11, 12, 14, 28 and 29. They read only
 * the TrackingPlan, so a merchant sees what is wrong before a single event is sent. Every finding
 * points at the plan path of the offending value and says what to change it to.
 */
import { formatPlanPath } from "./plan-schema";
import {
  ATTRIBUTION_WINDOW_OPTIONS,
  CANONICAL_MAPPING,
  DEFAULT_ATTRIBUTION_WINDOWS,
  EVENT_VALUE_DEFINITION,
  EXPECTED_PURPOSE,
  PINTEREST_CAPI_EVENTS,
  PINTEREST_TAG_EVENTS,
  PLATFORM_LABELS,
  STANDARD_EVENT_NAMES,
  canonicalSpelling,
  isMarketingPlatform,
  isPurchaseEvent,
  legacyTikTokEvent,
  pinterestServerName,
  type SendChannel,
} from "./platforms";
import {
  PLATFORMS,
  SHOPIFY_STANDARD_EVENTS,
  type Finding,
  type FindingSeverity,
  type Platform,
  type PlanDestinationEvent,
  type PlanPlatformSettings,
  type ShopifyStandardEvent,
  type TrackingPlan,
  type ValueDefinition,
} from "./types";

export function checkPlan(plan: TrackingPlan): Finding[] {
  const refs = destinationRefs(plan);
  return [
    ...checkUnknownEventNames(refs),
    ...checkEventNameSpelling(refs, plan),
    ...checkLegacyTikTokNames(refs),
    ...checkOneNamePerBusinessEvent(refs),
    ...checkSemanticMapping(refs),
    ...checkPurchaseValueAndCurrency(refs),
    ...checkValueDefinitions(refs),
    ...checkCurrencySource(plan, refs),
    ...checkContentType(plan, refs),
    ...checkConsentPurposes(plan),
    ...checkAttributionWindows(plan, refs),
  ];
}

// ---------------------------------------------------------------------------------------------------
// Plumbing
// ---------------------------------------------------------------------------------------------------

interface DestinationRef {
  shopifyEvent: string;
  /** The Shopify event when it is a standard one (the mapping table only knows those). */
  standardEvent: ShopifyStandardEvent | null;
  eventIndex: number;
  destinationIndex: number;
  destination: PlanDestinationEvent;
  platform: Platform;
  label: string;
}

interface SentName {
  name: string;
  channel: SendChannel;
  field: "eventName" | "serverEventName";
}

const STANDARD_SHOPIFY_EVENTS: ReadonlySet<string> = new Set(SHOPIFY_STANDARD_EVENTS);

function asStandardEvent(name: string): ShopifyStandardEvent | null {
  return STANDARD_SHOPIFY_EVENTS.has(name) ? (name as ShopifyStandardEvent) : null;
}

function destinationRefs(plan: TrackingPlan): DestinationRef[] {
  const refs: DestinationRef[] = [];
  plan.events.forEach((event, eventIndex) => {
    const standardEvent = asStandardEvent(event.shopifyEvent);
    event.destinations.forEach((destination, destinationIndex) => {
      refs.push({
        shopifyEvent: event.shopifyEvent,
        standardEvent,
        eventIndex,
        destinationIndex,
        destination,
        platform: destination.platform,
        label: PLATFORM_LABELS[destination.platform],
      });
    });
  });
  return refs;
}

function pathOf(ref: DestinationRef, field?: string): string {
  const segments: (string | number)[] = ["events", ref.eventIndex, "destinations", ref.destinationIndex];
  if (field !== undefined) segments.push(field);
  return formatPlanPath(segments);
}

function sentNames(destination: PlanDestinationEvent): SentName[] {
  const names: SentName[] = [{ name: destination.eventName, channel: "browser", field: "eventName" }];
  if (destination.serverEventName !== undefined) {
    names.push({ name: destination.serverEventName, channel: "server", field: "serverEventName" });
  }
  return names;
}

interface FindingInput {
  check: number;
  code: string;
  severity: FindingSeverity;
  platform: Platform | null;
  location: string;
  excerpt?: string;
  message: string;
  fix: string;
}

function finding(input: FindingInput): Finding {
  const evidence: Finding["evidence"] = { source: "plan", location: input.location };
  if (input.excerpt !== undefined) evidence.excerpt = input.excerpt;
  return { code: input.code, check: input.check, severity: input.severity, platform: input.platform, evidence, message: input.message, fix: input.fix };
}

function quoted(names: readonly string[]): string {
  return joinWords(names.map((name) => `"${name}"`));
}

function joinWords(words: readonly string[]): string {
  if (words.length <= 1) return words.join("");
  return `${words.slice(0, -1).join(", ")} and ${words[words.length - 1] ?? ""}`;
}

/** How a side is called where a platform names it: Pinterest's tag code vs Conversions API name. */
function fieldLabel(platform: Platform, channel: SendChannel): string {
  if (platform === "pinterest") return channel === "browser" ? "tag event code" : "Conversions API event name";
  return channel === "browser" ? "event name" : "server-side event name";
}

/** The standard name this platform expects for a Shopify event on this side, if the mapping has one. */
function expectedName(shopifyEvent: ShopifyStandardEvent | null, platform: Platform, channel: SendChannel): string | null {
  if (shopifyEvent === null) return null;
  const expected = CANONICAL_MAPPING[shopifyEvent][platform].expected;
  if (!expected) return null;
  return channel === "server" ? (expected.serverEventName ?? expected.eventName) : expected.eventName;
}

/**
 * The name a platform reports a destination under: its standard spelling, with TikTok's legacy names
 * read as their replacement (TikTok converts them in reporting). Null for names no platform list has.
 */
function reportedName(platform: Platform, name: string, channel: SendChannel): string | null {
  const canonical = canonicalSpelling(platform, name, channel);
  if (canonical === null || platform !== "tiktok") return canonical;
  return legacyTikTokEvent(canonical)?.replacement ?? canonical;
}

function settingsByPlatform(plan: TrackingPlan): Map<Platform, { settings: PlanPlatformSettings; index: number }> {
  const byPlatform = new Map<Platform, { settings: PlanPlatformSettings; index: number }>();
  plan.platforms.forEach((settings, index) => {
    if (!byPlatform.has(settings.platform)) byPlatform.set(settings.platform, { settings, index });
  });
  return byPlatform;
}

// ---------------------------------------------------------------------------------------------------
// 3. Destination event not standard and not declared custom
// ---------------------------------------------------------------------------------------------------

const UNKNOWN_NAME_CONSEQUENCE: Readonly<Record<Platform, string>> = {
  meta: "Meta treats it as a custom event: ads cannot optimise for it.",
  tiktok: "TikTok treats it as a custom event: ads cannot optimise for it.",
  pinterest: "Pinterest treats it as a user-defined event: usable for audiences, but with no conversion reporting.",
  ga4: "GA4 records it as a custom event, outside its ecommerce reports.",
};

function standardNamesFor(platform: Platform, channel: SendChannel): readonly string[] {
  if (platform !== "pinterest") return STANDARD_EVENT_NAMES[platform];
  return channel === "browser" ? PINTEREST_TAG_EVENTS : PINTEREST_CAPI_EVENTS;
}

function checkUnknownEventNames(refs: readonly DestinationRef[]): Finding[] {
  const findings: Finding[] = [];
  for (const ref of refs) {
    if (ref.destination.custom === true) continue;
    for (const sent of sentNames(ref.destination)) {
      if (canonicalSpelling(ref.platform, sent.name, sent.channel) !== null) continue;
      const suggestion = expectedName(ref.standardEvent, ref.platform, sent.channel);
      findings.push(
        finding({
          check: 3,
          code: "pixel.unknown_event_name",
          // GA4 still records custom events; the others lose optimisation or conversion reporting.
          severity: ref.platform === "ga4" ? "warning" : "error",
          platform: ref.platform,
          location: pathOf(ref, sent.field),
          excerpt: sent.name,
          message: `"${sent.name}" is not a ${ref.label} standard event, and the plan does not mark it as custom. ${UNKNOWN_NAME_CONSEQUENCE[ref.platform]}`,
          fix: suggestion
            ? `Change the ${fieldLabel(ref.platform, sent.channel)} to "${suggestion}", ${ref.label}'s standard event for ${ref.shopifyEvent}; or, if you mean a custom event, tick "Custom" for this destination.`
            : `Use one of ${ref.label}'s standard events (${standardNamesFor(ref.platform, sent.channel).join(", ")}), or tick "Custom" for this destination if you mean a custom event.`,
        }),
      );
    }
  }
  return findings;
}

// ---------------------------------------------------------------------------------------------------
// 4. Casing or spelling mismatch
// ---------------------------------------------------------------------------------------------------

function spellingReason(platform: Platform, channel: SendChannel, name: string, canonical: string): string {
  switch (platform) {
    case "meta":
      return "Meta matches browser and server copies only on the exact event name, and counts any other spelling as a separate custom event.";
    case "tiktok":
      return "TikTok event names are case-sensitive: any other spelling counts as a separate custom event.";
    case "ga4":
      return "GA4 event names are case-sensitive: this spelling shows up as a separate custom event outside the ecommerce reports.";
    case "pinterest":
      if (channel === "server") return "Pinterest's Conversions API accepts only its snake_case event names.";
      return canonicalSpelling("pinterest", name, "server") === name
        ? `"${name}" is the Conversions API spelling; the Pinterest tag takes the code "${canonical}".`
        : "The Pinterest tag takes lower-case event codes without separators; other spellings become audience-only user-defined events.";
  }
}

function checkEventNameSpelling(refs: readonly DestinationRef[], plan: TrackingPlan): Finding[] {
  const findings: Finding[] = [];
  const settings = settingsByPlatform(plan);
  for (const ref of refs) {
    for (const sent of sentNames(ref.destination)) {
      const canonical = canonicalSpelling(ref.platform, sent.name, sent.channel);
      if (canonical === null || canonical === sent.name) continue;
      findings.push(
        finding({
          check: 4,
          code: "pixel.event_name_spelling",
          severity: "error",
          platform: ref.platform,
          location: pathOf(ref, sent.field),
          excerpt: sent.name,
          message: `${ref.label} expects "${canonical}", but the plan sends "${sent.name}". ${spellingReason(ref.platform, sent.channel, sent.name, canonical)}`,
          fix: `Change the ${fieldLabel(ref.platform, sent.channel)} to "${canonical}" (exactly this spelling).`,
        }),
      );
    }
    const missingServerName = pinterestServerNameMissing(ref, settings.get("pinterest")?.settings);
    if (missingServerName) findings.push(missingServerName);
  }
  return findings;
}

/** Forwarding to Pinterest's CAPI without a CAPI name would send the tag code, which the API rejects. */
function pinterestServerNameMissing(ref: DestinationRef, settings: PlanPlatformSettings | undefined): Finding | null {
  if (ref.platform !== "pinterest" || settings?.serverSide !== true || ref.destination.serverEventName !== undefined) return null;
  const tagCode = canonicalSpelling("pinterest", ref.destination.eventName, "browser");
  const serverName = tagCode === null ? null : pinterestServerName(tagCode);
  if (serverName === null || serverName === ref.destination.eventName) return null;
  return finding({
    check: 4,
    code: "pixel.pinterest_server_name_missing",
    severity: "error",
    platform: "pinterest",
    location: pathOf(ref, "serverEventName"),
    excerpt: ref.destination.eventName,
    message: `Pinterest is forwarded server-side, but this destination has no Conversions API name, so the tag code "${ref.destination.eventName}" would be sent where the API expects "${serverName}".`,
    fix: `Set the Conversions API event name to "${serverName}".`,
  });
}

// ---------------------------------------------------------------------------------------------------
// 5. Legacy TikTok names
// ---------------------------------------------------------------------------------------------------

function checkLegacyTikTokNames(refs: readonly DestinationRef[]): Finding[] {
  const findings: Finding[] = [];
  for (const ref of refs) {
    if (ref.platform !== "tiktok") continue;
    for (const sent of sentNames(ref.destination)) {
      const canonical = canonicalSpelling("tiktok", sent.name, sent.channel) ?? sent.name;
      const legacy = legacyTikTokEvent(canonical);
      if (!legacy) continue;
      findings.push(
        finding({
          check: 5,
          code: "pixel.legacy_tiktok_event",
          severity: legacy.severity,
          platform: "tiktok",
          location: pathOf(ref, sent.field),
          excerpt: sent.name,
          message: `"${canonical}" is a legacy TikTok event name. ${legacy.note}`,
          fix: legacy.replacement
            ? `Rename it to "${legacy.replacement}" on the pixel and the Events API alike, so both copies still deduplicate.`
            : "Replace it before 2027 with the standard event that fits the action (such as Contact or Lead) or with a declared custom event.",
        }),
      );
    }
  }
  return findings;
}

// ---------------------------------------------------------------------------------------------------
// 6. One business event, one name per platform
// ---------------------------------------------------------------------------------------------------

/** Generic names meant to be shared: Pinterest's "custom" code and Google Ads' "conversion" (told apart by send_to). */
const SHAREABLE_NAMES: Readonly<Record<Platform, ReadonlySet<string>>> = {
  meta: new Set(),
  tiktok: new Set(),
  pinterest: new Set(["custom"]),
  ga4: new Set(["conversion"]),
};

function checkOneNamePerBusinessEvent(refs: readonly DestinationRef[]): Finding[] {
  return [...checkBrowserServerNames(refs), ...checkEventSentTwice(refs), ...checkNameSharedByEvents(refs)];
}

/** The server name the browser name must have for the two copies to deduplicate. */
function matchingServerName(ref: DestinationRef): string | null {
  const browser = canonicalSpelling(ref.platform, ref.destination.eventName, "browser");
  if (browser === null) return ref.destination.eventName;
  return ref.platform === "pinterest" ? pinterestServerName(browser) : browser;
}

function checkBrowserServerNames(refs: readonly DestinationRef[]): Finding[] {
  const findings: Finding[] = [];
  for (const ref of refs) {
    const server = ref.destination.serverEventName;
    if (server === undefined) continue;
    const expected = matchingServerName(ref);
    const actual = canonicalSpelling(ref.platform, server, "server") ?? server;
    if (expected === null || actual === expected) continue;
    findings.push(
      finding({
        check: 6,
        code: "pixel.browser_server_name_mismatch",
        severity: "error",
        platform: ref.platform,
        location: pathOf(ref, "serverEventName"),
        excerpt: server,
        message: `For ${ref.shopifyEvent} the browser sends ${ref.label} "${ref.destination.eventName}" but the server sends "${server}". ${ref.label} deduplicates the two copies only when name and event id match, so each ${ref.shopifyEvent} is counted twice.`,
        fix: `Set the server-side name to "${expected}".`,
      }),
    );
  }
  return findings;
}

function groupBy<K, V>(values: readonly V[], keyOf: (value: V) => K | null): Map<K, V[]> {
  const groups = new Map<K, V[]>();
  for (const value of values) {
    const key = keyOf(value);
    if (key === null) continue;
    const group = groups.get(key);
    if (group) group.push(value);
    else groups.set(key, [value]);
  }
  return groups;
}

function checkEventSentTwice(refs: readonly DestinationRef[]): Finding[] {
  const findings: Finding[] = [];
  const groups = groupBy(refs, (ref) => `${ref.shopifyEvent}\u0000${ref.platform}`);
  for (const group of groups.values()) {
    const [first, ...others] = group;
    if (!first || others.length === 0) continue;
    const names = [...new Set(group.map((ref) => ref.destination.eventName))];
    const keep = expectedName(first.standardEvent, first.platform, "browser") ?? first.destination.eventName;
    for (const ref of others) {
      findings.push(
        finding({
          check: 6,
          code: "pixel.event_sent_twice",
          severity: "error",
          platform: ref.platform,
          location: pathOf(ref),
          excerpt: ref.destination.eventName,
          message: `${ref.shopifyEvent} is sent to ${ref.label} ${group.length} times (as ${quoted(names)}). Each copy is counted, so one ${ref.shopifyEvent} becomes ${group.length} conversions in ${ref.label}.`,
          fix: `Keep a single ${ref.label} destination for ${ref.shopifyEvent} ("${keep}") and remove the others.`,
        }),
      );
    }
  }
  return findings;
}

function checkNameSharedByEvents(refs: readonly DestinationRef[]): Finding[] {
  const findings: Finding[] = [];
  const groups = groupBy(refs, (ref) => {
    const name = reportedName(ref.platform, ref.destination.eventName, "browser") ?? ref.destination.eventName;
    return SHAREABLE_NAMES[ref.platform].has(name) ? null : `${ref.platform}\u0000${name}`;
  });
  for (const group of groups.values()) {
    const sources = [...new Set(group.map((ref) => ref.shopifyEvent))];
    const [first] = group;
    if (!first || sources.length < 2) continue;
    const name = reportedName(first.platform, first.destination.eventName, "browser") ?? first.destination.eventName;
    const owner = MAPPED_FROM[first.platform].get(name);
    const keep = owner !== undefined && sources.includes(owner) ? owner : first.shopifyEvent;
    const extra = group.find((ref) => ref.shopifyEvent !== keep) ?? first;
    findings.push(
      finding({
        check: 6,
        code: "pixel.event_name_shared",
        severity: "error",
        platform: first.platform,
        location: pathOf(extra, "eventName"),
        excerpt: extra.destination.eventName,
        message: `${first.label} "${name}" is sent from ${joinWords(sources)}, so one shopper's single ${name} is counted ${sources.length === 2 ? "twice" : `${sources.length} times`} and ${first.label} optimises on inflated numbers.`,
        fix: `Send "${name}" from ${keep} only; ${joinWords(sources.filter((source) => source !== keep).map((source) => describeExpected(source, first.platform)))}.`,
      }),
    );
  }
  return findings;
}

function describeExpected(shopifyEvent: string, platform: Platform): string {
  const expected = expectedName(asStandardEvent(shopifyEvent), platform, "browser");
  return expected ? `map ${shopifyEvent} to "${expected}"` : `remove the ${PLATFORM_LABELS[platform]} destination of ${shopifyEvent}`;
}

// ---------------------------------------------------------------------------------------------------
// 7. Semantic mis-mapping
// ---------------------------------------------------------------------------------------------------

/** Standard name → the Shopify event the mapping table assigns it to, per platform (browser names). */
const MAPPED_FROM: Readonly<Record<Platform, ReadonlyMap<string, ShopifyStandardEvent>>> = (() => {
  const index = {} as Record<Platform, Map<string, ShopifyStandardEvent>>;
  for (const platform of PLATFORMS) {
    const names = new Map<string, ShopifyStandardEvent>();
    for (const shopifyEvent of SHOPIFY_STANDARD_EVENTS) {
      const expected = CANONICAL_MAPPING[shopifyEvent][platform].expected;
      if (expected && !names.has(expected.eventName)) names.set(expected.eventName, shopifyEvent);
    }
    index[platform] = names;
  }
  return index;
})();

function checkSemanticMapping(refs: readonly DestinationRef[]): Finding[] {
  const findings: Finding[] = [];
  for (const ref of refs) {
    if (ref.standardEvent === null) continue;
    const mapping = CANONICAL_MAPPING[ref.standardEvent][ref.platform];
    const expected = mapping.expected?.eventName ?? null;
    if (ref.destination.custom === true) {
      if (expected !== null) findings.push(standardSentAsCustom(ref, expected));
      continue;
    }
    const sent = reportedName(ref.platform, ref.destination.eventName, "browser");
    if (sent === null || sent === expected || mapping.alternatives?.includes(sent)) continue;
    findings.push(mismapped(ref, sent, expected, mapping.note));
  }
  return findings;
}

function mismapped(ref: DestinationRef, sent: string, expected: string | null, note: string | undefined): Finding {
  const owner = MAPPED_FROM[ref.platform].get(sent);
  const ownerText = owner ? ` ("${sent}" stands for ${owner})` : "";
  const countsPurchases = isPurchaseEvent(ref.platform, sent);
  const missesPurchases = expected !== null && isPurchaseEvent(ref.platform, expected);
  const consequence = countsPurchases
    ? ` ${ref.label} will count each ${ref.shopifyEvent} as a purchase.`
    : missesPurchases
      ? ` ${ref.label} will not see these purchases.`
      : ` ${ref.label}'s reports for "${sent}" will mix in the wrong shopper action.`;
  const serverName = ref.platform === "pinterest" && expected !== null ? pinterestServerName(expected) : null;
  return finding({
    check: 7,
    code: "pixel.event_mismapped",
    severity: countsPurchases || missesPurchases ? "error" : "warning",
    platform: ref.platform,
    location: pathOf(ref, "eventName"),
    excerpt: ref.destination.eventName,
    message:
      expected === null
        ? `${ref.label} has no standard event for ${ref.shopifyEvent}${note ? ` (${note})` : ""}, but the plan sends "${sent}"${ownerText}.${consequence}`
        : `${ref.shopifyEvent} should reach ${ref.label} as "${expected}", not "${sent}"${ownerText}.${consequence}`,
    fix:
      expected === null
        ? `Remove this ${ref.label} destination, or send a declared custom event (tick "Custom") if you need ${ref.shopifyEvent} for audiences.`
        : `Change the event name to "${expected}"${serverName ? ` and the Conversions API name to "${serverName}"` : ""}.`,
  });
}

function standardSentAsCustom(ref: DestinationRef, expected: string): Finding {
  return finding({
    check: 7,
    code: "pixel.standard_event_sent_as_custom",
    // A purchase sent as a custom event leaves purchase optimisation with nothing to learn from.
    severity: isPurchaseEvent(ref.platform, expected) ? "error" : "warning",
    platform: ref.platform,
    location: pathOf(ref, "custom"),
    excerpt: ref.destination.eventName,
    message: `${ref.shopifyEvent} goes to ${ref.label} as the custom event "${ref.destination.eventName}", so ${ref.label} cannot optimise for it or report it as its standard "${expected}".`,
    fix: `Send ${ref.label}'s standard event "${expected}" and untick "Custom".`,
  });
}

// ---------------------------------------------------------------------------------------------------
// 9. Purchase without value and currency
// ---------------------------------------------------------------------------------------------------

const PURCHASE_VALUE_REASON: Readonly<Record<Platform, string>> = {
  meta: "Meta requires value and currency on Purchase; without them it reports no revenue and no ROAS.",
  tiktok: "TikTok needs both for ROAS reporting and value-based optimisation.",
  pinterest: "Pinterest needs both for revenue reporting and shopping ads.",
  ga4: "GA4 needs both to report purchase revenue.",
};

const PURCHASE_PARAMETER_SOURCE: Readonly<Record<string, string>> = {
  value: "value = the order subtotal, Σ price × quantity",
  currency: "currency = the checkout's currencyCode",
};

function checkPurchaseValueAndCurrency(refs: readonly DestinationRef[]): Finding[] {
  const findings: Finding[] = [];
  for (const ref of refs) {
    const parameters = ref.destination.parameters;
    const name = canonicalSpelling(ref.platform, ref.destination.eventName, "browser") ?? ref.destination.eventName;
    if (isPurchaseEvent(ref.platform, name)) {
      const missing = ["value", "currency"].filter((key) => !parameters.includes(key));
      if (missing.length === 0) continue;
      findings.push(
        finding({
          check: 9,
          code: "pixel.purchase_missing_value_currency",
          severity: "error",
          platform: ref.platform,
          location: pathOf(ref, "parameters"),
          excerpt: parameters.join(", "),
          message: `${ref.label} "${ref.destination.eventName}" is sent without ${joinWords(missing)}. ${PURCHASE_VALUE_REASON[ref.platform]}`,
          fix: `Add ${joinWords(missing)} to this destination's parameters (${missing.map((key) => PURCHASE_PARAMETER_SOURCE[key] ?? key).join("; ")}).`,
        }),
      );
    } else if (parameters.includes("value") && !parameters.includes("currency")) {
      findings.push(
        finding({
          check: 9,
          code: "pixel.value_without_currency",
          severity: "warning",
          platform: ref.platform,
          location: pathOf(ref, "parameters"),
          excerpt: parameters.join(", "),
          message: `${ref.label} "${ref.destination.eventName}" sends a value without its currency, so ${ref.label} ignores the value or reads it in the ad account's currency.`,
          fix: "Add currency to this destination's parameters (the currencyCode of the same amount as the value).",
        }),
      );
    }
  }
  return findings;
}

// ---------------------------------------------------------------------------------------------------
// 11. One value definition per event
// ---------------------------------------------------------------------------------------------------

const VALUE_DEFINITION_TEXT: Readonly<Record<ValueDefinition, string>> = {
  subtotal: "the subtotal (Σ price × quantity, without tax and shipping)",
  total: "the total with tax and shipping",
  line_total: "the line total (price × quantity of the line)",
  unit_price: "the unit price",
  none: "no value",
};

function checkValueDefinitions(refs: readonly DestinationRef[]): Finding[] {
  const findings: Finding[] = [];
  for (const group of groupBy(refs, (ref) => ref.shopifyEvent).values()) {
    const valued = group.filter((ref) => ref.destination.valueDefinition !== "none");
    const definitionDiffers = differingDefinitions(valued);
    if (definitionDiffers) findings.push(definitionDiffers);
    for (const ref of group) {
      const single = singleDestinationValueFinding(ref);
      if (single) findings.push(single);
    }
  }
  return findings;
}

function differingDefinitions(valued: readonly DestinationRef[]): Finding | null {
  const [first] = valued;
  const definitions = [...new Set(valued.map((ref) => ref.destination.valueDefinition))];
  if (!first || definitions.length < 2) return null;
  const byDefinition = definitions.map((definition) => {
    const labels = [...new Set(valued.filter((ref) => ref.destination.valueDefinition === definition).map((ref) => ref.label))];
    return `${definition} on ${joinWords(labels)}`;
  });
  const recommended = recommendedDefinition(first.standardEvent, valued);
  return finding({
    check: 11,
    code: "pixel.value_definition_differs",
    severity: "warning",
    platform: null,
    location: formatPlanPath(["events", first.eventIndex]),
    excerpt: byDefinition.join("; "),
    message: `${first.shopifyEvent} reports value differently per platform: ${byDefinition.join("; ")}. The platforms will show different revenue for the same shoppers, and comparing them misleads.`,
    fix: `Use one definition on every platform for ${first.shopifyEvent}: "${recommended}", ${VALUE_DEFINITION_TEXT[recommended]}.`,
  });
}

/** The mapping's definition for a standard event; otherwise the one most destinations already use. */
function recommendedDefinition(shopifyEvent: ShopifyStandardEvent | null, valued: readonly DestinationRef[]): ValueDefinition {
  const standard = shopifyEvent === null ? "none" : EVENT_VALUE_DEFINITION[shopifyEvent];
  if (standard !== "none") return standard;
  const counts = new Map<ValueDefinition, number>();
  for (const ref of valued) counts.set(ref.destination.valueDefinition, (counts.get(ref.destination.valueDefinition) ?? 0) + 1);
  let best: ValueDefinition = "subtotal";
  let bestCount = 0;
  for (const [definition, count] of counts) {
    if (count > bestCount) [best, bestCount] = [definition, count];
  }
  return best;
}

function singleDestinationValueFinding(ref: DestinationRef): Finding | null {
  const { valueDefinition, parameters, eventName } = ref.destination;
  const base = { check: 11, severity: "warning" as const, platform: ref.platform, location: pathOf(ref, "valueDefinition"), excerpt: valueDefinition };
  if (valueDefinition === "none") {
    if (!parameters.includes("value")) return null;
    const suggested = ref.standardEvent ? EVENT_VALUE_DEFINITION[ref.standardEvent] : "none";
    return finding({
      ...base,
      code: "pixel.value_definition_missing",
      message: `${ref.label} "${eventName}" sends a value, but the plan does not say what it means, so nobody can tell whether it compares with the other platforms.`,
      fix: suggested === "none" ? "Set the value definition, or remove value from the parameters." : `Set the value definition to "${suggested}", ${VALUE_DEFINITION_TEXT[suggested]}.`,
    });
  }
  const expected = ref.standardEvent ? EVENT_VALUE_DEFINITION[ref.standardEvent] : "none";
  if (valueDefinition === "unit_price" && expected !== "none" && expected !== "unit_price") {
    return finding({
      ...base,
      code: "pixel.value_is_unit_price",
      message: `${ref.label} "${eventName}" reports the unit price as value for ${ref.shopifyEvent}. Value is the amount of the whole event; the unit price belongs in contents or items, so quantities above one are under-reported.`,
      fix: `Set the value definition to "${expected}", ${VALUE_DEFINITION_TEXT[expected]}.`,
    });
  }
  if (ref.platform === "ga4" && valueDefinition === "total") {
    return finding({
      ...base,
      code: "pixel.value_includes_tax_shipping",
      message: `GA4 defines value as Σ price × quantity without tax and shipping (those go in the tax and shipping parameters), but "${eventName}" uses the order total, so GA4 revenue is overstated.`,
      fix: `Set the value definition to "subtotal" and send tax and shipping as their own parameters.`,
    });
  }
  return null;
}

// ---------------------------------------------------------------------------------------------------
// 12. Currency drift
// ---------------------------------------------------------------------------------------------------

function checkCurrencySource(plan: TrackingPlan, refs: readonly DestinationRef[]): Finding[] {
  if (plan.currencySource !== "shop") return [];
  if (!refs.some((ref) => ref.destination.parameters.includes("currency"))) return [];
  return [
    finding({
      check: 12,
      code: "pixel.currency_source_drift",
      severity: "error",
      platform: null,
      location: "currencySource",
      excerpt: plan.currencySource,
      message:
        "Values come from the amounts Shopify reports, which are in the shopper's (presentment) currency, but the plan labels them with the shop's currency. In a store that sells in several currencies, 100 EUR would be reported as 100 USD, and ads would optimise on wrong revenue.",
      fix: 'Set the currency source to "presentment", so each value carries the currencyCode of the same amount (checkout.currencyCode, price.currencyCode).',
    }),
  ];
}

// ---------------------------------------------------------------------------------------------------
// 14. content_type vs id granularity
// ---------------------------------------------------------------------------------------------------

/** Only Meta and TikTok know product groups; Pinterest product_id and GA4 item_id are always item ids. */
const HAS_PRODUCT_GROUPS: Readonly<Record<Platform, boolean>> = { meta: true, tiktok: true, pinterest: false, ga4: false };
const CONTENT_ID_PARAMETERS = ["content_ids", "contents"] as const;

function checkContentType(plan: TrackingPlan, refs: readonly DestinationRef[]): Finding[] {
  const findings: Finding[] = [];
  plan.platforms.forEach((settings, index) => {
    if (!settings.enabled || HAS_PRODUCT_GROUPS[settings.platform] || settings.contentType !== "product_group") return;
    const label = PLATFORM_LABELS[settings.platform];
    findings.push(
      finding({
        check: 14,
        code: "pixel.content_type_not_supported",
        severity: "error",
        platform: settings.platform,
        location: formatPlanPath(["platforms", index, "contentType"]),
        excerpt: settings.contentType,
        message: `${label} has no product groups: its product ids must be the catalog's item (variant) ids, so product-level ids would match nothing in the ${label} catalog.`,
        fix: `Set ${label}'s content type to "product" (variant-level ids, as in the feed).`,
      }),
    );
  });
  for (const ref of refs) {
    if (!HAS_PRODUCT_GROUPS[ref.platform]) continue;
    const parameters = ref.destination.parameters;
    if (parameters.includes("content_type") || !CONTENT_ID_PARAMETERS.some((key) => parameters.includes(key))) continue;
    findings.push(
      finding({
        check: 14,
        code: "pixel.content_type_missing",
        severity: "warning",
        platform: ref.platform,
        location: pathOf(ref, "parameters"),
        excerpt: parameters.join(", "),
        message: `${ref.label} "${ref.destination.eventName}" sends product ids without content_type, so ${ref.label} cannot tell variant ids from product-group ids and may match the wrong catalog items.`,
        fix: `Add content_type to this destination's parameters ("product" for variant-level ids, as the feed uses).`,
      }),
    );
  }
  return findings;
}

// ---------------------------------------------------------------------------------------------------
// 28. One consent purpose per destination
// ---------------------------------------------------------------------------------------------------

function checkConsentPurposes(plan: TrackingPlan): Finding[] {
  const findings: Finding[] = [];
  plan.platforms.forEach((settings, index) => {
    const expected = EXPECTED_PURPOSE[settings.platform];
    if (!settings.enabled || settings.purpose === expected) return;
    const label = PLATFORM_LABELS[settings.platform];
    // Over-gating analytics behind marketing loses data but breaks no law; the reverse fires without permission.
    const overRestrictive = !isMarketingPlatform(settings.platform) && settings.purpose === "marketing";
    findings.push(
      finding({
        check: 28,
        code: "pixel.purpose_mismatch",
        severity: overRestrictive ? "warning" : "error",
        platform: settings.platform,
        location: formatPlanPath(["platforms", index, "purpose"]),
        excerpt: settings.purpose,
        message: overRestrictive
          ? `${label} is gated on ${settings.purpose} permission, but it measures ${expected}: visitors who allow analytics but refuse marketing go unmeasured.`
          : `${label} is tagged "${settings.purpose}", but it is a ${expected} destination: it would fire for visitors who gave ${settings.purpose} permission but refused ${expected}.`,
        fix: `Set ${label}'s consent purpose to "${expected}", and declare the same purpose in the pixel extension's [customer_privacy].`,
      }),
    );
  });
  return findings;
}

// ---------------------------------------------------------------------------------------------------
// 29. Attribution window recorded beside the purchase metric
// ---------------------------------------------------------------------------------------------------

function checkAttributionWindows(plan: TrackingPlan, refs: readonly DestinationRef[]): Finding[] {
  const findings: Finding[] = [];
  const countsPurchases = new Set(
    refs
      .filter((ref) => isPurchaseEvent(ref.platform, canonicalSpelling(ref.platform, ref.destination.eventName, "browser") ?? ref.destination.eventName))
      .map((ref) => ref.platform),
  );
  plan.platforms.forEach((settings, index) => {
    if (!settings.enabled || !countsPurchases.has(settings.platform)) return;
    const label = PLATFORM_LABELS[settings.platform];
    const location = formatPlanPath(["platforms", index, "attributionWindow"]);
    const window = settings.attributionWindow;
    if (window === null || (window.clickDays === null && window.viewDays === null && !window.note)) {
      findings.push(
        finding({
          check: 29,
          code: "pixel.attribution_window_missing",
          severity: "warning",
          platform: settings.platform,
          location,
          message: `${label}'s purchases have no attribution window recorded, so nobody can tell why ${label} reports more (or fewer) purchases than the shop's orders or the other platforms.`,
          fix: `Record the window set in ${label}'s ads account (${DEFAULT_ATTRIBUTION_WINDOWS[settings.platform].note ?? "see its attribution settings"}).`,
        }),
      );
      return;
    }
    const options = ATTRIBUTION_WINDOW_OPTIONS[settings.platform];
    const unusual: string[] = [];
    if (window.clickDays !== null && !options.clickDays.includes(window.clickDays)) unusual.push(`a ${window.clickDays}-day click window`);
    // No view window (null) and a 0-day view window say the same.
    if (!options.viewDays.includes(window.viewDays) && !(window.viewDays === null && options.viewDays.includes(0))) {
      unusual.push(`a ${String(window.viewDays)}-day view window`);
    }
    if (unusual.length === 0) return;
    findings.push(
      finding({
        check: 29,
        code: "pixel.attribution_window_unusual",
        severity: "info",
        platform: settings.platform,
        location,
        excerpt: `click ${String(window.clickDays)}, view ${String(window.viewDays)}`,
        message: `As far as we know ${label} does not offer ${joinWords(unusual)}, so the recorded window may not match the ads account.`,
        fix: `Check the window in ${label}'s ads account and record it here (click: ${options.clickDays.join("/")} days; view: ${options.viewDays.map(String).join("/")}).`,
      }),
    );
  });
  return findings;
}

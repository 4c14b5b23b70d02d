/**
 * Static checks of a web pixel extension: its shopify.extension.toml and its source text
 * (pixel-consent.md §(c) checks 1, 2, 8, 18, 23, 24, 25 and 27). Nothing is executed or type-checked
 * here; the source is scanned with comments blanked out (and, for code structure, string contents
 * too), so line numbers in the evidence are the file's own.
 *
 * Codes (stable; tests, the CLI's JSON lines and the screen key on them):
 *   1  pixel.unknown_subscription, pixel.advanced_dom_subscription
 *   2  pixel.custom_event_shadows_standard, pixel.custom_event_unprefixed
 *   8  pixel.mapping_constant_not_standard, pixel.mapping_constant_misspelt, pixel.mapping_constant_legacy,
 *      pixel.mapping_constant_wrong_event, pixel.mapping_constant_differs_from_plan, pixel.mapping_constant_not_in_plan
 *   18 pixel.payload_path_unknown, pixel.order_id_outside_checkout_completed
 *   23 pixel.extension_not_web_pixel, pixel.consent_declaration_missing, pixel.consent_declaration_invalid,
 *      pixel.marketing_consent_not_declared, pixel.analytics_consent_not_declared, pixel.sale_of_data_not_declared
 *   24 pixel.initial_consent_ignored, pixel.consent_change_ignored, pixel.unknown_privacy_event,
 *      pixel.consent_purpose_unchecked, pixel.sale_of_data_unchecked
 *   25 pixel.vendor_consent_default_missing, pixel.vendor_consent_default_late, pixel.vendor_consent_default_not_restrictive
 *   27 pixel.consent_mode_signals_missing, pixel.consent_mode_update_missing
 *
 * The Shopify side (event names, payload paths) is data learned from @shopify/web-pixels-extension
 * 2.18.0's type files (PIXEL_TYPES below); re-diff it when the pinned version changes.
 */
import {
  CANONICAL_MAPPING,
  canonicalSpelling,
  isMarketingPlatform,
  isStandardEventName,
  legacyTikTokEvent,
  looseEventKey,
  PLATFORM_LABELS,
} from "./platforms";
import { SHOPIFY_STANDARD_EVENTS, type ExtensionSource, type Finding, type FindingSeverity, type Platform, type ShopifyStandardEvent, type TrackingPlan } from "./types";

// ---------------------------------------------------------------------------------------------------
// The pinned typedef, as data
// ---------------------------------------------------------------------------------------------------

const DOM_EVENTS = ["clicked", "form_submitted", "input_focused", "input_blurred", "input_changed"] as const;
const ADVANCED_DOM_EVENTS = [
  "advanced_dom_available",
  "advanced_dom_changed",
  "advanced_dom_clicked",
  "advanced_dom_clipboard",
  "advanced_dom_form_submitted",
  "advanced_dom_input_blurred",
  "advanced_dom_input_changed",
  "advanced_dom_input_focused",
  "advanced_dom_mouse_moved",
  "advanced_dom_scrolled",
  "advanced_dom_selection_changed",
  "advanced_dom_window_resized",
] as const;
const AGGREGATE_EVENTS = ["all_events", "all_standard_events", "all_custom_events", "all_dom_events"] as const;

/** Every key of `PixelEvents` plus the aggregates: what `analytics.subscribe` can actually deliver. */
const SUBSCRIBABLE: ReadonlySet<string> = new Set<string>([...SHOPIFY_STANDARD_EVENTS, ...DOM_EVENTS, ...ADVANCED_DOM_EVENTS, ...AGGREGATE_EVENTS]);
const STANDARD_SET: ReadonlySet<string> = new Set<string>(SHOPIFY_STANDARD_EVENTS);
const ADVANCED_DOM_SET: ReadonlySet<string> = new Set<string>(ADVANCED_DOM_EVENTS);
/** Loose spellings of every Shopify name, so "Checkout Completed" or "checkoutCompleted" is recognised. */
const SUBSCRIBABLE_BY_LOOSE_KEY: ReadonlyMap<string, string> = new Map([...SUBSCRIBABLE].map((name) => [looseEventKey(name), name]));

/**
 * Field → type for the payload types. A type is a name in this table, a primitive ("string",
 * "number", "boolean"), "unknown" (a union the scan does not follow) or any of these with "[]".
 * Nullability is not recorded: type-checking against the package covers it; this table answers
 * "does that path exist at all".
 */
const PIXEL_TYPES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  MoneyV2: { amount: "number", currencyCode: "string" },
  Image: { src: "string" },
  Product: { id: "string", title: "string", type: "string", untranslatedTitle: "string", url: "string", vendor: "string" },
  ProductVariant: { id: "string", image: "Image", price: "MoneyV2", product: "Product", sku: "string", title: "string", untranslatedTitle: "string" },
  Attribute: { key: "string", value: "string" },
  CartCost: { totalAmount: "MoneyV2" },
  CartLineCost: { totalAmount: "MoneyV2" },
  CartLine: { cost: "CartLineCost", merchandise: "ProductVariant", quantity: "number" },
  Cart: { attributes: "Attribute[]", cost: "CartCost", id: "string", lines: "CartLine[]", totalQuantity: "number" },
  Checkout: {
    attributes: "Attribute[]",
    billingAddress: "MailingAddress",
    buyerAcceptsEmailMarketing: "boolean",
    buyerAcceptsSmsMarketing: "boolean",
    currencyCode: "string",
    delivery: "Delivery",
    discountApplications: "DiscountApplication[]",
    discountsAmount: "MoneyV2",
    email: "string",
    lineItems: "CheckoutLineItem[]",
    localization: "Localization",
    order: "Order",
    phone: "string",
    shippingAddress: "MailingAddress",
    shippingLine: "ShippingRate",
    smsMarketingPhone: "string",
    subtotalPrice: "MoneyV2",
    token: "string",
    totalPrice: "MoneyV2",
    totalTax: "MoneyV2",
    transactions: "Transaction[]",
  },
  CheckoutLineItem: {
    discountAllocations: "DiscountAllocation[]",
    finalLinePrice: "MoneyV2",
    id: "string",
    properties: "Property[]",
    quantity: "number",
    sellingPlanAllocation: "SellingPlanAllocation",
    title: "string",
    variant: "ProductVariant",
  },
  DiscountAllocation: { amount: "MoneyV2", discountApplication: "DiscountApplication" },
  DiscountApplication: { allocationMethod: "string", targetSelection: "string", targetType: "string", title: "string", type: "string", value: "unknown" },
  Delivery: { selectedDeliveryOptions: "DeliveryOption[]" },
  DeliveryOption: { cost: "MoneyV2", costAfterDiscounts: "MoneyV2", description: "string", handle: "string", title: "string", type: "string" },
  Localization: { country: "Country", language: "Language", market: "Market" },
  Country: { isoCode: "string" },
  Language: { isoCode: "string" },
  Market: { handle: "string", id: "string" },
  MailingAddress: {
    address1: "string",
    address2: "string",
    city: "string",
    country: "string",
    countryCode: "string",
    firstName: "string",
    lastName: "string",
    phone: "string",
    province: "string",
    provinceCode: "string",
    zip: "string",
  },
  Order: { customer: "OrderCustomer", id: "string" },
  OrderCustomer: { id: "string", isFirstOrder: "boolean" },
  Property: { key: "string", value: "string" },
  SellingPlanAllocation: { sellingPlan: "SellingPlan" },
  SellingPlan: { id: "string", name: "string" },
  ShippingRate: { price: "MoneyV2" },
  Transaction: { amount: "MoneyV2", gateway: "string", paymentMethod: "TransactionPaymentMethod" },
  TransactionPaymentMethod: { name: "string", type: "string" },
  Collection: { id: "string", productVariants: "ProductVariant[]", title: "string" },
  SearchResult: { productVariants: "ProductVariant[]", query: "string" },
  AlertDisplayed: { message: "string", target: "string", type: "string", value: "string" },
  UiExtensionError: {
    apiVersion: "string",
    appId: "string",
    appName: "string",
    appVersion: "string",
    extensionName: "string",
    extensionTarget: "string",
    message: "string",
    placementReference: "string",
    trace: "string",
    type: "string",
  },
  Context: { document: "WebPixelsDocument", navigator: "WebPixelsNavigator", window: "WebPixelsWindow" },
  WebPixelsDocument: { characterSet: "string", location: "Location", referrer: "string", title: "string" },
  WebPixelsNavigator: { cookieEnabled: "boolean", language: "string", languages: "string[]", userAgent: "string" },
  WebPixelsWindow: {
    innerHeight: "number",
    innerWidth: "number",
    location: "Location",
    origin: "string",
    outerHeight: "number",
    outerWidth: "number",
    pageXOffset: "number",
    pageYOffset: "number",
    screen: "Screen",
    screenX: "number",
    screenY: "number",
    scrollX: "number",
    scrollY: "number",
  },
  Location: { hash: "string", host: "string", hostname: "string", href: "string", origin: "string", pathname: "string", port: "string", protocol: "string", search: "string" },
  Screen: { height: "number", width: "number" },
  GenericElement: { href: "string", id: "string", name: "string", tagName: "string", type: "string", value: "string" },
  InputElement: { id: "string", name: "string", tagName: "string", type: "string", value: "string" },
  FormElement: { action: "string", elements: "InputElement[]", id: "string" },
  MouseEventData: {
    clientX: "number",
    clientY: "number",
    element: "GenericElement",
    movementX: "number",
    movementY: "number",
    offsetX: "number",
    offsetY: "number",
    pageX: "number",
    pageY: "number",
    screenX: "number",
    screenY: "number",
  },
  // `init` (RegisterInit): the state when the pixel loaded.
  RegisterInit: { context: "Context", data: "InitData", customerPrivacy: "CustomerPrivacy" },
  InitData: { customer: "Customer", cart: "Cart", shop: "Shop", purchasingCompany: "PurchasingCompany" },
  Customer: { email: "string", firstName: "string", id: "string", lastName: "string", ordersCount: "number", phone: "string" },
  Shop: { countryCode: "string", myshopifyDomain: "string", name: "string", paymentSettings: "ShopPaymentSettings", storefrontUrl: "string" },
  ShopPaymentSettings: { currencyCode: "string" },
  PurchasingCompany: { company: "PurchasingCompanyPart", location: "PurchasingCompanyPart" },
  PurchasingCompanyPart: { externalId: "string", id: "string", name: "string" },
  CustomerPrivacy: { analyticsProcessingAllowed: "boolean", marketingAllowed: "boolean", preferencesProcessingAllowed: "boolean", saleOfDataAllowed: "boolean" },
  CustomerPrivacyPayload: { customerPrivacy: "CustomerPrivacy" },
};

/** `event.data` per event: its fields, or the name of its type in PIXEL_TYPES. */
const EVENT_DATA: Readonly<Record<string, Readonly<Record<string, string>> | string>> = {
  page_viewed: {},
  collection_viewed: { collection: "Collection" },
  search_submitted: { searchResult: "SearchResult" },
  product_viewed: { productVariant: "ProductVariant" },
  product_added_to_cart: { cartLine: "CartLine" },
  product_removed_from_cart: { cartLine: "CartLine" },
  cart_viewed: { cart: "Cart" },
  checkout_started: { checkout: "Checkout" },
  checkout_contact_info_submitted: { checkout: "Checkout" },
  checkout_address_info_submitted: { checkout: "Checkout" },
  checkout_shipping_info_submitted: { checkout: "Checkout" },
  payment_info_submitted: { checkout: "Checkout" },
  checkout_completed: { checkout: "Checkout" },
  alert_displayed: { alert: "AlertDisplayed" },
  ui_extension_errored: { error: "UiExtensionError" },
  clicked: "MouseEventData",
  form_submitted: { element: "FormElement" },
  input_focused: { element: "InputElement" },
  input_blurred: { element: "InputElement" },
  input_changed: { element: "InputElement" },
};

const EVENT_ROOT: Readonly<Record<string, string>> = { clientId: "string", id: "string", name: "string", seq: "number", timestamp: "string", type: "string" };

/**
 * The event object's type name(s) a subscription delivers (several for the aggregates):
 * "Event:standard:<name>", "Event:dom:<name>" or "Event:custom", resolved by fieldsOf.
 */
function eventTypesOf(subscribed: string, customEvents: ReadonlySet<string>): string[] {
  const standard = SHOPIFY_STANDARD_EVENTS.map((name) => `Event:standard:${name}`);
  const dom = DOM_EVENTS.map((name) => `Event:dom:${name}`);
  if (STANDARD_SET.has(subscribed)) return [`Event:standard:${subscribed}`];
  if ((DOM_EVENTS as readonly string[]).includes(subscribed)) return [`Event:dom:${subscribed}`];
  if (subscribed === "all_standard_events") return standard;
  if (subscribed === "all_dom_events") return dom;
  if (subscribed === "all_custom_events" || customEvents.has(subscribed)) return ["Event:custom"];
  if (subscribed === "all_events") return [...standard, ...dom, "Event:custom"];
  return [];
}

function fieldsOf(typeName: string): Readonly<Record<string, string>> | "unknown" | undefined {
  if (typeName.startsWith("Data:")) {
    const data = EVENT_DATA[typeName.slice(5)];
    return typeof data === "string" ? PIXEL_TYPES[data] : data;
  }
  if (typeName.startsWith("Event:standard:")) return { ...EVENT_ROOT, context: "Context", data: `Data:${typeName.slice(15)}` };
  if (typeName.startsWith("Event:dom:")) return { ...EVENT_ROOT, data: `Data:${typeName.slice(10)}` };
  if (typeName === "Event:custom") return { ...EVENT_ROOT, context: "Context", customData: "unknown" };
  return PIXEL_TYPES[typeName];
}

// ---------------------------------------------------------------------------------------------------
// Findings
// ---------------------------------------------------------------------------------------------------

interface Evidence {
  location: string;
  excerpt?: string;
}

function finding(check: number, code: string, severity: FindingSeverity, platform: Platform | null, evidence: Evidence, message: string, fix: string): Finding {
  return { code: `pixel.${code}`, check, severity, platform, evidence: { source: "extension", ...evidence }, message, fix };
}

// ---------------------------------------------------------------------------------------------------
// Source text
// ---------------------------------------------------------------------------------------------------

interface SourceFile {
  name: string;
  /** The text with comments blanked (same length and line breaks). */
  code: string;
  /** Also with string, template and regex contents blanked: for structure (identifiers, brackets). */
  bare: string;
  lineStarts: number[];
  /** Index of an opening bracket → its closing bracket, in `bare`. */
  closing: Map<number, number>;
}

const REGEX_CAN_FOLLOW = new Set(["", "(", ",", "=", ":", "[", "!", "&", "|", "?", "{", "}", ";", "+", "-", "*", "%", "<", ">", "~", "^"]);

function blank(chars: string[], from: number, to: number): void {
  for (let i = from; i < to; i += 1) if (chars[i] !== "\n") chars[i] = " ";
}

/** Blanks comments (in both views) and literal contents (in `bare`), tracking template expressions. */
function maskSource(text: string): { code: string; bare: string } {
  const code = [...text];
  const bare = [...text];
  const braces: ("brace" | "template")[] = [];
  let inTemplate = false;
  let previous = "";
  let i = 0;
  while (i < text.length) {
    const char = text[i] ?? "";
    const next = text[i + 1] ?? "";
    if (inTemplate) {
      if (char === "\\") {
        blank(bare, i, i + 2);
        i += 2;
      } else if (char === "`") {
        inTemplate = false;
        previous = "`";
        i += 1;
      } else if (char === "$" && next === "{") {
        braces.push("template");
        inTemplate = false;
        previous = "{";
        i += 2;
      } else {
        blank(bare, i, i + 1);
        i += 1;
      }
      continue;
    }
    if (char === "/" && next === "/") {
      const end = text.indexOf("\n", i);
      const stop = end < 0 ? text.length : end;
      blank(code, i, stop);
      blank(bare, i, stop);
      i = stop;
    } else if (char === "/" && next === "*") {
      const end = text.indexOf("*/", i + 2);
      const stop = end < 0 ? text.length : end + 2;
      blank(code, i, stop);
      blank(bare, i, stop);
      i = stop;
    } else if (char === '"' || char === "'") {
      let j = i + 1;
      while (j < text.length && text[j] !== char && text[j] !== "\n") j += text[j] === "\\" ? 2 : 1;
      blank(bare, i + 1, j);
      previous = char;
      i = j + 1;
    } else if (char === "`") {
      inTemplate = true;
      i += 1;
    } else if (char === "/" && REGEX_CAN_FOLLOW.has(previous)) {
      let j = i + 1;
      let inClass = false;
      while (j < text.length && text[j] !== "\n" && (inClass || text[j] !== "/")) {
        if (text[j] === "[") inClass = true;
        else if (text[j] === "]") inClass = false;
        j += text[j] === "\\" ? 2 : 1;
      }
      blank(bare, i + 1, j);
      previous = "/";
      i = j + 1;
    } else {
      if (char === "{") braces.push("brace");
      else if (char === "}" && braces.pop() === "template") {
        inTemplate = true;
        i += 1;
        continue;
      }
      if (!/\s/.test(char)) previous = /[\w$]/.test(char) ? "a" : char;
      i += 1;
    }
  }
  return { code: code.join(""), bare: bare.join("") };
}

function bracketPairs(bare: string): Map<number, number> {
  const pairs = new Map<number, number>();
  const open: number[] = [];
  for (let i = 0; i < bare.length; i += 1) {
    const char = bare[i];
    if (char === "(" || char === "[" || char === "{") open.push(i);
    else if (char === ")" || char === "]" || char === "}") {
      const start = open.pop();
      if (start !== undefined) pairs.set(start, i);
    }
  }
  return pairs;
}

function toSourceFile(name: string, text: string): SourceFile {
  const { code, bare } = maskSource(text);
  const lineStarts = [0];
  for (let i = 0; i < text.length; i += 1) if (text[i] === "\n") lineStarts.push(i + 1);
  return { name, code, bare, lineStarts, closing: bracketPairs(bare) };
}

function lineOf(lineStarts: readonly number[], index: number): number {
  let low = 0;
  let high = lineStarts.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if ((lineStarts[middle] ?? 0) <= index) low = middle;
    else high = middle - 1;
  }
  return low + 1;
}

function evidenceAt(extensionPath: string, file: SourceFile, index: number): Evidence {
  const line = lineOf(file.lineStarts, index);
  const start = file.lineStarts[line - 1] ?? 0;
  const end = file.code.indexOf("\n", start);
  const excerpt = file.code.slice(start, end < 0 ? undefined : end).trim().slice(0, 160);
  return { location: `${extensionPath}/${file.name}:${line}`, excerpt };
}

/** The value of a string literal starting at `index` (templates only without expressions), else null. */
function stringLiteralAt(file: SourceFile, index: number): string | null {
  const quote = file.code[index];
  if (quote !== '"' && quote !== "'" && quote !== "`") return null;
  let value = "";
  for (let i = index + 1; i < file.code.length; i += 1) {
    const char = file.code[i];
    if (char === quote) return value;
    if (char === "\n" && quote !== "`") return null;
    if (char === "$" && quote === "`" && file.code[i + 1] === "{") return null;
    if (char === "\\") {
      value += file.code[i + 1] ?? "";
      i += 1;
    } else value += char;
  }
  return null;
}

function skipSpace(text: string, index: number): number {
  let i = index;
  while (i < text.length && /\s/.test(text[i] ?? "")) i += 1;
  return i;
}

interface Argument {
  start: number;
  end: number;
}

/** The top-level arguments of the call whose "(" is at `open`. */
function callArguments(file: SourceFile, open: number): Argument[] {
  const close = file.closing.get(open);
  if (close === undefined) return [];
  const args: Argument[] = [];
  let start = open + 1;
  for (let i = open + 1; i < close; i += 1) {
    const char = file.bare[i];
    const nested = char === "(" || char === "[" || char === "{" ? file.closing.get(i) : undefined;
    if (nested !== undefined) i = nested;
    else if (char === ",") {
      args.push({ start, end: i });
      start = i + 1;
    }
  }
  if (file.bare.slice(start, close).trim() !== "") args.push({ start, end: close });
  return args;
}

function argumentString(file: SourceFile, arg: Argument | undefined): string | null {
  return arg === undefined ? null : stringLiteralAt(file, skipSpace(file.code, arg.start));
}

function argumentText(file: SourceFile, arg: Argument | undefined): string {
  return arg === undefined ? "" : file.code.slice(arg.start, arg.end).trim();
}

/** Innermost `{…}` (in `bare`) that strictly contains `index`. */
function enclosingObject(file: SourceFile, index: number): { open: number; close: number } | null {
  let best: { open: number; close: number } | null = null;
  for (const [open, close] of file.closing) {
    if (file.bare[open] === "{" && open < index && index < close && (best === null || open > best.open)) best = { open, close };
  }
  return best;
}

const IDENTIFIER = /[A-Za-z_$][\w$]*/y;

interface ChainSegment {
  name: string;
  /** "[]" for an index access. */
  index: boolean;
  call: boolean;
}

/** The member chain after an identifier ending at `from`: `?.`, `.`, `!` and `[…]` accesses. */
function readChain(file: SourceFile, from: number): { segments: ChainSegment[]; end: number } {
  const text = file.bare;
  const segments: ChainSegment[] = [];
  let i = from;
  for (;;) {
    let j = skipSpace(text, i);
    if (text[j] === "!" && text[j + 1] !== "=") {
      i = j + 1;
      continue;
    }
    let optional = false;
    if (text[j] === "?" && text[j + 1] === ".") {
      j += 2;
      optional = true;
    } else if (text[j] === "." && text[j + 1] !== ".") j += 1;
    else if (text[j] !== "[" && text[j] !== "(") break;
    j = skipSpace(text, j);
    if (text[j] === "[") {
      const close = file.closing.get(j);
      if (close === undefined) break;
      segments.push({ name: "[]", index: true, call: false });
      i = close + 1;
    } else if (text[j] === "(") {
      const last = segments[segments.length - 1];
      if (last !== undefined) last.call = true;
      break;
    } else if (optional || text[j - 1] === "." || /\s/.test(text[j - 1] ?? "")) {
      IDENTIFIER.lastIndex = j;
      const match = IDENTIFIER.exec(text);
      if (match === null) break;
      segments.push({ name: match[0], index: false, call: false });
      i = j + match[0].length;
    } else break;
  }
  return { segments, end: i };
}

// ---------------------------------------------------------------------------------------------------
// TOML (the subset extension files use)
// ---------------------------------------------------------------------------------------------------

type TomlValue = string | number | boolean | TomlValue[] | { [key: string]: TomlValue };

interface TomlDocument {
  /** Dotted key path ("customer_privacy.marketing") → value and line. Inline tables are flattened too. */
  values: Map<string, { value: TomlValue; line: number }>;
  /** Table path → line of its header. */
  tables: Map<string, number>;
  problems: { line: number; message: string }[];
}

class TomlReader {
  private i = 0;
  private line = 1;
  readonly document: TomlDocument = { values: new Map(), tables: new Map(), problems: [] };

  constructor(private readonly text: string) {}

  read(): TomlDocument {
    let table: string[] = [];
    while (this.skipBlank()) {
      const startLine = this.line;
      try {
        if (this.peek() === "[") {
          const arrayOfTables = this.text.startsWith("[[", this.i);
          this.i += arrayOfTables ? 2 : 1;
          table = this.readKey();
          this.expect(arrayOfTables ? "]]" : "]");
          const path = table.join(".");
          if (!this.document.tables.has(path)) this.document.tables.set(path, startLine);
        } else {
          const key = this.readKey();
          this.expect("=");
          this.record([...table, ...key], this.readValue(), startLine);
        }
        this.endOfLine();
      } catch (error) {
        this.document.problems.push({ line: startLine, message: (error as Error).message });
        this.skipLine();
      }
    }
    return this.document;
  }

  private record(path: string[], value: TomlValue, line: number): void {
    this.document.values.set(path.join("."), { value, line });
    if (typeof value === "object" && !Array.isArray(value)) {
      for (const [key, child] of Object.entries(value)) this.record([...path, key], child, line);
    }
  }

  private peek(): string {
    return this.text[this.i] ?? "";
  }

  private advance(): string {
    const char = this.text[this.i] ?? "";
    if (char === "\n") this.line += 1;
    this.i += 1;
    return char;
  }

  private skipSpaces(): void {
    while (this.peek() === " " || this.peek() === "\t") this.i += 1;
  }

  private skipComment(): void {
    if (this.peek() === "#") while (this.i < this.text.length && this.peek() !== "\n") this.i += 1;
  }

  /** Skips blank lines and comments; false at the end of the text. */
  private skipBlank(): boolean {
    for (;;) {
      this.skipSpaces();
      this.skipComment();
      if (this.peek() === "\r" || this.peek() === "\n") this.advance();
      else return this.i < this.text.length;
    }
  }

  private skipLine(): void {
    while (this.i < this.text.length && this.peek() !== "\n") this.i += 1;
  }

  private endOfLine(): void {
    this.skipSpaces();
    this.skipComment();
    if (this.peek() === "\r") this.i += 1;
    if (this.i < this.text.length && this.peek() !== "\n") throw new Error(`unexpected "${this.peek()}" after the value`);
  }

  private expect(token: string): void {
    this.skipSpaces();
    if (!this.text.startsWith(token, this.i)) throw new Error(`expected "${token}"`);
    this.i += token.length;
  }

  private readKey(): string[] {
    const parts: string[] = [];
    for (;;) {
      this.skipSpaces();
      const char = this.peek();
      if (char === '"' || char === "'") parts.push(this.readString());
      else {
        const match = /[A-Za-z0-9_-]+/y;
        match.lastIndex = this.i;
        const found = match.exec(this.text);
        if (found === null) throw new Error("expected a key");
        parts.push(found[0]);
        this.i += found[0].length;
      }
      this.skipSpaces();
      if (this.peek() !== ".") return parts;
      this.i += 1;
    }
  }

  private readString(): string {
    const quote = this.advance();
    if (this.text.startsWith(quote.repeat(2), this.i)) {
      this.i += 2;
      const end = this.text.indexOf(quote.repeat(3), this.i);
      if (end < 0) throw new Error("unterminated multi-line string");
      let value = "";
      while (this.i < end) value += this.advance();
      this.i = end + 3;
      return value.replace(/^\r?\n/, "");
    }
    let value = "";
    for (;;) {
      const char = this.advance();
      if (char === "" || char === "\n") throw new Error("unterminated string");
      if (char === quote) return value;
      if (char === "\\" && quote === '"') {
        const escaped = this.advance();
        const simple: Record<string, string> = { n: "\n", t: "\t", r: "\r", '"': '"', "\\": "\\", b: "\b", f: "\f" };
        if (escaped === "u" || escaped === "U") {
          const length = escaped === "u" ? 4 : 8;
          value += String.fromCodePoint(Number.parseInt(this.text.slice(this.i, this.i + length), 16));
          this.i += length;
        } else value += simple[escaped] ?? escaped;
      } else value += char;
    }
  }

  private skipInsideBrackets(): void {
    for (;;) {
      this.skipSpaces();
      this.skipComment();
      if (this.peek() === "\r" || this.peek() === "\n") this.advance();
      else return;
    }
  }

  private readValue(): TomlValue {
    this.skipSpaces();
    const char = this.peek();
    if (char === '"' || char === "'") return this.readString();
    if (char === "[") {
      this.i += 1;
      const items: TomlValue[] = [];
      for (;;) {
        this.skipInsideBrackets();
        if (this.peek() === "]") {
          this.i += 1;
          return items;
        }
        items.push(this.readValue());
        this.skipInsideBrackets();
        if (this.peek() === ",") this.i += 1;
        else if (this.peek() !== "]") throw new Error("expected \",\" or \"]\" in an array");
      }
    }
    if (char === "{") {
      this.i += 1;
      const table: Record<string, TomlValue> = {};
      this.skipSpaces();
      if (this.peek() === "}") {
        this.i += 1;
        return table;
      }
      for (;;) {
        const key = this.readKey();
        this.expect("=");
        let target = table;
        for (const part of key.slice(0, -1)) {
          const existing = target[part];
          const child: Record<string, TomlValue> = typeof existing === "object" && !Array.isArray(existing) ? existing : {};
          target[part] = child;
          target = child;
        }
        target[key[key.length - 1] ?? ""] = this.readValue();
        this.skipSpaces();
        if (this.peek() === "}") {
          this.i += 1;
          return table;
        }
        this.expect(",");
      }
    }
    const bare = /[^\s,\]}#]+/y;
    bare.lastIndex = this.i;
    const token = bare.exec(this.text)?.[0];
    if (token === undefined) throw new Error("expected a value");
    this.i += token.length;
    if (token === "true" || token === "false") return token === "true";
    const number = Number(token.replace(/_/g, ""));
    if (Number.isFinite(number)) return number;
    // Dates and times stay text: nothing here reads them.
    if (/^\d{4}-\d{2}-\d{2}|^\d{2}:\d{2}/.test(token)) return token;
    throw new Error(`cannot read the value ${token}`);
  }
}

export function readExtensionToml(text: string): TomlDocument {
  return new TomlReader(text).read();
}

// ---------------------------------------------------------------------------------------------------
// What the source does (facts the checks read)
// ---------------------------------------------------------------------------------------------------

interface Located {
  file: SourceFile;
  index: number;
}

interface Subscription extends Located {
  /** The subscribed name, or null when it is not a literal. */
  name: string | null;
  argumentText: string;
  /** The callback's range and how it names the event, when the scan could read it. */
  callback: { start: number; end: number; eventName: string | null; dataName: string | null } | null;
}

interface VendorCall extends Located {
  vendor: "fbq" | "ttq" | "pintrk" | "gtag";
  /** fbq/pintrk/gtag: the first argument; ttq: the method name. */
  command: string | null;
  args: Argument[];
}

interface MappingConstant extends Located {
  shopifyEvent: string | null;
  platform: Platform;
  eventName: string;
  channel?: "browser" | "server";
}

interface Facts {
  files: SourceFile[];
  subscriptions: Subscription[];
  privacySubscriptions: Subscription[];
  publishes: (Located & { name: string | null })[];
  vendorCalls: VendorCall[];
  mappingConstants: MappingConstant[];
  hosts: (Located & { platform: Platform; marketing: boolean })[];
  initConsentRead: Located | null;
  flagReads: Record<"marketingAllowed" | "analyticsProcessingAllowed" | "saleOfDataAllowed", Located | null>;
}

const CALLBACK_PARAMETER = /^\s*(?:async\s+)?(?:function\s*[\w$]*\s*)?\(?\s*(?:([A-Za-z_$][\w$]*)|\{([^}]*)\})/;

function callbackOf(file: SourceFile, arg: Argument | undefined): Subscription["callback"] {
  if (arg === undefined) return null;
  const text = file.code.slice(arg.start, arg.end);
  const match = CALLBACK_PARAMETER.exec(text);
  if (match === null) return null;
  let eventName = match[1] ?? null;
  let dataName: string | null = null;
  if (match[2] !== undefined) {
    eventName = null;
    const data = /(?:^|,)\s*data\s*(?::\s*([A-Za-z_$][\w$]*))?\s*(?:,|$)/.exec(match[2]);
    if (data) dataName = data[1] ?? "data";
  }
  if (eventName === "async" || eventName === "function") return null;
  return { start: arg.start, end: arg.end, eventName, dataName };
}

function collectSubscriptions(file: SourceFile, facts: Facts): void {
  const pattern = /\b([A-Za-z_$][\w$]*)\s*(?:\?\.|\.)\s*subscribe\s*\(/g;
  for (const match of file.bare.matchAll(pattern)) {
    const open = match.index + match[0].length - 1;
    const args = callArguments(file, open);
    const nameArg = args[0];
    const subscription: Subscription = {
      file,
      index: match.index,
      name: argumentString(file, nameArg),
      argumentText: argumentText(file, nameArg),
      callback: callbackOf(file, args[1]),
    };
    if (match[1] === "customerPrivacy") facts.privacySubscriptions.push(subscription);
    else facts.subscriptions.push(subscription);
  }
}

function collectPublishes(file: SourceFile, facts: Facts): void {
  for (const match of file.bare.matchAll(/\banalytics\s*(?:\?\.|\.)\s*(?:publish|publishCustomEvent)\s*\(/g)) {
    const open = match.index + match[0].length - 1;
    facts.publishes.push({ file, index: match.index, name: argumentString(file, callArguments(file, open)[0]) });
  }
}

const VENDOR_CALL = /\b(fbq|pintrk|gtag)\s*\(|\bttq\s*(?:\?\.|\.)\s*([A-Za-z_$][\w$]*)\s*\(/g;

function collectVendorCalls(file: SourceFile, facts: Facts): void {
  for (const match of file.bare.matchAll(VENDOR_CALL)) {
    // A definition (`function gtag(){…}`) is not a call.
    if (/\bfunction\s*$/.test(file.bare.slice(Math.max(0, match.index - 12), match.index))) continue;
    const open = match.index + match[0].length - 1;
    const args = callArguments(file, open);
    if (match[1] !== undefined) {
      const vendor = match[1] as "fbq" | "pintrk" | "gtag";
      facts.vendorCalls.push({ file, index: match.index, vendor, command: argumentString(file, args[0]), args });
    } else {
      facts.vendorCalls.push({ file, index: match.index, vendor: "ttq", command: match[2] ?? null, args });
    }
  }
}

const PLATFORM_KEYS: Readonly<Record<string, Platform>> = {
  meta: "meta",
  facebook: "meta",
  fb: "meta",
  tiktok: "tiktok",
  pinterest: "pinterest",
  ga4: "ga4",
  google: "ga4",
  gtag: "ga4",
};

function isCode(file: SourceFile, index: number): boolean {
  return file.bare[index] === file.code[index];
}

/**
 * `{ platform: "meta", eventName: "Purchase" }` objects, attributed to an enclosing `shopifyEvent: "…"`
 * or else to the subscription callback they sit in.
 */
function collectPlanShapedConstants(file: SourceFile, facts: Facts): void {
  for (const match of file.code.matchAll(/\bplatform\s*:\s*(["'`])([A-Za-z0-9_]+)\1/g)) {
    if (!isCode(file, match.index)) continue;
    const platform = PLATFORM_KEYS[match[2] ?? ""];
    const object = enclosingObject(file, match.index);
    if (platform === undefined || object === null) continue;
    const body = file.code.slice(object.open, object.close);
    const outer = enclosingObject(file, object.open);
    const declared = outer === null ? undefined : /\bshopifyEvent\s*:\s*(["'`])([^"'`\n]+)\1/.exec(file.code.slice(outer.open, outer.close))?.[2];
    const shopifyEvent = declared ?? subscribedEventAt(facts, file, match.index);
    for (const name of body.matchAll(/\b(eventName|serverEventName)\s*:\s*(["'`])([^"'`\n]+)\2/g)) {
      facts.mappingConstants.push({
        file,
        index: object.open + name.index,
        shopifyEvent,
        platform,
        eventName: name[3] ?? "",
        channel: name[1] === "serverEventName" ? "server" : undefined,
      });
    }
  }
}

/** `checkout_completed: { meta: "Purchase", ga4: "purchase" }` tables keyed by Shopify event. */
function collectTableShapedConstants(file: SourceFile, facts: Facts): void {
  for (const match of file.code.matchAll(/(["']?)([a-z_]+)\1\s*:\s*\{/g)) {
    const shopifyEvent = match[2] ?? "";
    if (!STANDARD_SET.has(shopifyEvent) || !isCode(file, match.index)) continue;
    const open = match.index + match[0].length - 1;
    const close = file.closing.get(open);
    if (close === undefined) continue;
    const body = file.code.slice(open, close);
    for (const entry of body.matchAll(/(["']?)([a-z0-9]+)\1\s*:\s*(["'`])([^"'`\n]+)\3/g)) {
      const platform = PLATFORM_KEYS[entry[2] ?? ""];
      if (platform !== undefined && isCode(file, open + entry.index)) {
        facts.mappingConstants.push({ file, index: open + entry.index, shopifyEvent, platform, eventName: entry[4] ?? "" });
      }
    }
  }
}

/** Shopify event whose subscription callback contains `index`, or null. */
function subscribedEventAt(facts: Facts, file: SourceFile, index: number): string | null {
  for (const subscription of facts.subscriptions) {
    const callback = subscription.callback;
    if (subscription.file === file && callback !== null && callback.start <= index && index < callback.end) return subscription.name;
  }
  return null;
}

function collectVendorConstants(facts: Facts): void {
  for (const call of facts.vendorCalls) {
    let platform: Platform | null = null;
    let nameArg: Argument | undefined;
    let channel: MappingConstant["channel"];
    if (call.vendor === "fbq" && call.command === "track") [platform, nameArg] = ["meta", call.args[1]];
    else if (call.vendor === "ttq" && call.command === "track") [platform, nameArg] = ["tiktok", call.args[0]];
    else if (call.vendor === "pintrk" && call.command === "track") [platform, nameArg, channel] = ["pinterest", call.args[1], "browser"];
    else if (call.vendor === "gtag" && call.command === "event") [platform, nameArg] = ["ga4", call.args[1]];
    const eventName = argumentString(call.file, nameArg);
    if (platform === null || eventName === null) continue;
    const shopifyEvent = subscribedEventAt(facts, call.file, call.index);
    facts.mappingConstants.push({ file: call.file, index: call.index, shopifyEvent, platform, eventName, channel });
  }
}

const VENDOR_HOSTS: readonly { pattern: RegExp; platform: Platform; marketing: boolean }[] = [
  { pattern: /facebook\.com\/tr|connect\.facebook\.net|graph\.facebook\.com/, platform: "meta", marketing: true },
  { pattern: /analytics\.tiktok\.com|business-api\.tiktok\.com/, platform: "tiktok", marketing: true },
  { pattern: /ct\.pinterest\.com|s\.pinimg\.com|api\.pinterest\.com/, platform: "pinterest", marketing: true },
  { pattern: /googleadservices\.com|googleads\.g\.doubleclick\.net/, platform: "ga4", marketing: true },
  { pattern: /google-analytics\.com|googletagmanager\.com/, platform: "ga4", marketing: false },
];

function collectHosts(file: SourceFile, facts: Facts): void {
  for (const { pattern, platform, marketing } of VENDOR_HOSTS) {
    const found = pattern.exec(file.code);
    if (found !== null) facts.hosts.push({ file, index: found.index, platform, marketing });
  }
}

function collectConsentReads(file: SourceFile, facts: Facts): void {
  if (facts.initConsentRead === null) {
    const read = /\binit\s*(?:\?\.|\.)\s*customerPrivacy\b|\{[^}]*\bcustomerPrivacy\b[^}]*\}\s*=\s*(?:[\w$]+\s*\.\s*)?init\b/.exec(file.bare);
    if (read !== null) facts.initConsentRead = { file, index: read.index };
  }
  for (const flag of ["marketingAllowed", "analyticsProcessingAllowed", "saleOfDataAllowed"] as const) {
    if (facts.flagReads[flag] !== null) continue;
    const read = new RegExp(`\\b${flag}\\b`).exec(file.bare);
    if (read !== null) facts.flagReads[flag] = { file, index: read.index };
  }
}

function gatherFacts(source: ExtensionSource): Facts {
  const files = Object.entries(source.files)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, text]) => toSourceFile(name, text));
  const facts: Facts = {
    files,
    subscriptions: [],
    privacySubscriptions: [],
    publishes: [],
    vendorCalls: [],
    mappingConstants: [],
    hosts: [],
    initConsentRead: null,
    flagReads: { marketingAllowed: null, analyticsProcessingAllowed: null, saleOfDataAllowed: null },
  };
  for (const file of files) {
    collectSubscriptions(file, facts);
    collectPublishes(file, facts);
    collectVendorCalls(file, facts);
    collectPlanShapedConstants(file, facts);
    collectTableShapedConstants(file, facts);
    collectHosts(file, facts);
    collectConsentReads(file, facts);
  }
  collectVendorConstants(facts);
  return facts;
}

// ---------------------------------------------------------------------------------------------------
// Plan helpers
// ---------------------------------------------------------------------------------------------------

function declaredCustomEvents(plan: TrackingPlan | undefined): ReadonlySet<string> {
  return new Set((plan?.events ?? []).map((event) => event.shopifyEvent).filter((name) => !SUBSCRIBABLE.has(name)));
}

/** A custom name carries a namespace: the plan's prefix, or without a plan any "<word><:/.>…" form. */
function hasNamespace(name: string, plan: TrackingPlan | undefined): boolean {
  if (plan !== undefined) return plan.customEventPrefix !== "" && name.startsWith(plan.customEventPrefix) && name.length > plan.customEventPrefix.length;
  return /^[A-Za-z][\w-]*[:/.]\S/.test(name);
}

/** Edit distance up to `limit` (small names only): a typo of a standard name is a likelier story. */
function withinEdits(a: string, b: string, limit: number): boolean {
  if (Math.abs(a.length - b.length) > limit) return false;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return (previous[b.length] ?? limit + 1) <= limit;
}

function closestShopifyEvent(name: string): string | null {
  const loose = SUBSCRIBABLE_BY_LOOSE_KEY.get(looseEventKey(name));
  if (loose !== undefined) return loose;
  for (const known of SUBSCRIBABLE) if (withinEdits(name.toLowerCase(), known, 2)) return known;
  return null;
}

// ---------------------------------------------------------------------------------------------------
// Check 1: unknown Shopify subscriptions
// ---------------------------------------------------------------------------------------------------

function checkSubscriptions(source: ExtensionSource, facts: Facts, plan: TrackingPlan | undefined): Finding[] {
  const findings: Finding[] = [];
  const custom = declaredCustomEvents(plan);
  for (const subscription of facts.subscriptions) {
    const name = subscription.name;
    if (name === null) continue;
    const evidence = evidenceAt(source.path, subscription.file, subscription.index);
    if (ADVANCED_DOM_SET.has(name)) {
      findings.push(
        finding(1, "advanced_dom_subscription", "info", null, evidence, `The pixel subscribes to "${name}", an advanced DOM event: it needs a scope granted in the Partner Dashboard, works in checkout only on Plus and is not available to custom apps.`, `Keep "${name}" only if the pixel records sessions or heatmaps; otherwise remove the subscription from ${subscription.file.name}.`),
      );
      continue;
    }
    if (SUBSCRIBABLE.has(name) || custom.has(name)) continue;
    const standard = closestShopifyEvent(name);
    if (standard !== null) {
      findings.push(
        finding(1, "unknown_subscription", "error", null, evidence, `The pixel subscribes to "${name}", which Shopify never publishes: analytics.subscribe accepts any text, so this callback silently never runs. Did you mean "${standard}"?`, `Change the subscription in ${subscription.file.name} to analytics.subscribe("${standard}", …).`),
      );
    } else if (hasNamespace(name, plan)) {
      findings.push(
        finding(1, "unknown_subscription", plan === undefined ? "warning" : "error", null, evidence, `The pixel subscribes to the custom event "${name}", which the tracking plan does not declare, so nothing says who publishes it or where it is sent.`, `Add "${name}" to the tracking plan as a custom event (Pixels & consent → plan), or remove the subscription from ${subscription.file.name}.`),
      );
    } else {
      findings.push(
        finding(1, "unknown_subscription", "error", null, evidence, `The pixel subscribes to "${name}", which is neither a Shopify event of @shopify/web-pixels-extension 2.18.0 nor a declared custom event, so this callback never runs.`, `Use one of Shopify's standard event names, or publish "${name}" as a prefixed custom event and declare it in the tracking plan.`),
      );
    }
  }
  return findings;
}

// ---------------------------------------------------------------------------------------------------
// Check 2: custom events that shadow standard names or lack a namespace
// ---------------------------------------------------------------------------------------------------

function checkPublishedEvents(source: ExtensionSource, facts: Facts, plan: TrackingPlan | undefined): Finding[] {
  const findings: Finding[] = [];
  const prefix = plan?.customEventPrefix || "shelfcast:";
  for (const published of facts.publishes) {
    const name = published.name;
    if (name === null) continue;
    const evidence = evidenceAt(source.path, published.file, published.index);
    const shadowed = SUBSCRIBABLE.has(name) ? name : (SUBSCRIBABLE_BY_LOOSE_KEY.get(looseEventKey(name)) ?? null);
    if (shadowed !== null) {
      findings.push(
        finding(2, "custom_event_shadows_standard", "error", null, evidence, shadowed === name ? `The code publishes "${name}", a Shopify standard event name: only Shopify may publish standard events, and subscribers would mistake this for Shopify's own.` : `The code publishes "${name}", which reads as Shopify's standard "${shadowed}": subscribers and reports will confuse the two.`, `Rename it with the app's namespace, e.g. "${prefix}${name.replace(/^[^A-Za-z0-9]+/, "")}", and declare it in the tracking plan.`),
      );
    } else if (!hasNamespace(name, plan)) {
      findings.push(
        finding(2, "custom_event_unprefixed", "warning", null, evidence, `The custom event "${name}" has no namespace prefix, so it can collide with another app's or the theme's custom events of the same name.`, `Publish it as "${prefix}${name}" (the plan's custom event prefix) and subscribe under the same name.`),
      );
    }
  }
  return findings;
}

// ---------------------------------------------------------------------------------------------------
// Check 8: mapping constants in code
// ---------------------------------------------------------------------------------------------------

function plannedDestination(plan: TrackingPlan, shopifyEvent: string, platform: Platform): { eventName: string; serverEventName?: string; custom?: boolean } | null {
  const event = plan.events.find((candidate) => candidate.shopifyEvent === shopifyEvent);
  return event?.destinations.find((destination) => destination.platform === platform) ?? null;
}

function isDeclaredCustom(plan: TrackingPlan | undefined, platform: Platform, eventName: string): boolean {
  return (plan?.events ?? []).some((event) => event.destinations.some((destination) => destination.platform === platform && destination.custom === true && (destination.eventName === eventName || destination.serverEventName === eventName)));
}

function checkMappingConstant(source: ExtensionSource, constant: MappingConstant, plan: TrackingPlan | undefined): Finding[] {
  const { platform, eventName, shopifyEvent } = constant;
  const label = PLATFORM_LABELS[platform];
  const evidence = evidenceAt(source.path, constant.file, constant.index);
  const context = shopifyEvent === null ? "" : ` for Shopify's ${shopifyEvent}`;
  const legacy = platform === "tiktok" ? legacyTikTokEvent(eventName) : null;
  if (legacy !== null) {
    return [
      finding(8, "mapping_constant_legacy", legacy.severity, platform, evidence, `The code maps${context} to TikTok's "${eventName}". ${legacy.note}`, legacy.replacement === null ? `Remove "${eventName}" from the mapping in ${constant.file.name}.` : `Change "${eventName}" to "${legacy.replacement}" in ${constant.file.name}.`),
    ];
  }
  if (!isStandardEventName(platform, eventName, constant.channel)) {
    if (isDeclaredCustom(plan, platform, eventName)) return [];
    const canonical = canonicalSpelling(platform, eventName, constant.channel);
    if (canonical !== null && canonical !== eventName) {
      return [
        finding(8, "mapping_constant_misspelt", "error", platform, evidence, `The code sends "${eventName}"${context} to ${label}, whose standard spelling is "${canonical}": event names are case-sensitive, so this arrives as a different (custom) event.`, `Change "${eventName}" to "${canonical}" in ${constant.file.name}.`),
      ];
    }
    return [
      finding(8, "mapping_constant_not_standard", "error", platform, evidence, `The code sends "${eventName}"${context} to ${label}, which is not one of ${label}'s standard events, so optimisation and conversion reporting ignore it.`, `Use ${label}'s standard event for this Shopify event, or declare "${eventName}" as a custom destination event in the tracking plan.`),
    ];
  }
  const findings: Finding[] = [];
  if (shopifyEvent !== null && STANDARD_SET.has(shopifyEvent)) {
    const canonical = CANONICAL_MAPPING[shopifyEvent as ShopifyStandardEvent][platform];
    const allowed = [canonical.expected?.eventName, canonical.expected?.serverEventName, ...(canonical.alternatives ?? [])].filter((name): name is string => name !== undefined);
    if (!allowed.includes(eventName)) {
      const should = canonical.expected === null ? `${label} has no standard event for ${shopifyEvent}${canonical.note ? ` (${canonical.note})` : ""}` : `${shopifyEvent} corresponds to ${label}'s "${canonical.expected.eventName}"`;
      findings.push(
        finding(8, "mapping_constant_wrong_event", "error", platform, evidence, `The code maps Shopify's ${shopifyEvent} to ${label}'s "${eventName}", but ${should}. The platform will count a different business event.`, canonical.expected === null ? `Remove the ${label} mapping for ${shopifyEvent} in ${constant.file.name}.` : `Map ${shopifyEvent} to "${canonical.expected.eventName}" in ${constant.file.name}.`),
      );
    }
  }
  if (plan !== undefined && shopifyEvent !== null) {
    const planned = plannedDestination(plan, shopifyEvent, platform);
    if (planned === null) {
      findings.push(
        finding(8, "mapping_constant_not_in_plan", "warning", platform, evidence, `The code sends ${shopifyEvent} to ${label} as "${eventName}", but the tracking plan does not send ${shopifyEvent} to ${label}.`, `Add the destination to the plan, or remove it from the mapping in ${constant.file.name}.`),
      );
    } else if (planned.eventName !== eventName && planned.serverEventName !== eventName) {
      findings.push(
        finding(8, "mapping_constant_differs_from_plan", "error", platform, evidence, `The code sends ${shopifyEvent} to ${label} as "${eventName}", but the tracking plan says "${planned.eventName}": reports built from the plan will not match what is sent.`, `Make the code and the plan agree: change "${eventName}" to "${planned.eventName}" in ${constant.file.name}, or change the plan.`),
      );
    }
  }
  return findings;
}

function checkMappingConstants(source: ExtensionSource, facts: Facts, plan: TrackingPlan | undefined): Finding[] {
  return facts.mappingConstants.flatMap((constant) => checkMappingConstant(source, constant, plan));
}

// ---------------------------------------------------------------------------------------------------
// Check 18: payload paths
// ---------------------------------------------------------------------------------------------------

const ARRAY_PROPERTIES = new Set(["length"]);
const STRING_PROPERTIES = new Set(["length"]);

type PathVerdict = { ok: true; readsOrderId: boolean } | { ok: false; failedAt: number };

/** Follows `segments` from `typeName`; method calls and unions end the walk as valid. */
function walkPath(typeName: string, segments: readonly ChainSegment[], from = 0): PathVerdict {
  let type = typeName;
  let readsOrderId = false;
  for (let i = from; i < segments.length; i += 1) {
    const segment = segments[i];
    if (segment === undefined || type === "unknown") break;
    if (type.endsWith("[]")) {
      if (segment.index) type = type.slice(0, -2);
      else if (segment.call || ARRAY_PROPERTIES.has(segment.name)) break;
      else return { ok: false, failedAt: i };
      continue;
    }
    if (type === "string" || type === "number" || type === "boolean") {
      if (segment.call || (type === "string" && STRING_PROPERTIES.has(segment.name))) break;
      return { ok: false, failedAt: i };
    }
    const fields = fieldsOf(type);
    if (fields === undefined || fields === "unknown" || segment.index) break;
    const next = Object.hasOwn(fields, segment.name) ? fields[segment.name] : undefined;
    if (next === undefined) {
      if (segment.call) break;
      return { ok: false, failedAt: i };
    }
    if (type === "Order" && segment.name === "id") readsOrderId = true;
    type = next;
  }
  return { ok: true, readsOrderId };
}

interface Root {
  /** Identifier the chain starts with. */
  name: string;
  /** Possible types of that identifier (a union for the aggregates). */
  types: string[];
  /** Path already walked to reach it, for messages ("event.data"). */
  prefix: string;
}

function typesAfter(types: readonly string[], segments: readonly ChainSegment[]): string[] {
  const result: string[] = [];
  for (const start of types) {
    let type = start;
    let valid = true;
    for (const segment of segments) {
      if (segment.index && type.endsWith("[]")) {
        type = type.slice(0, -2);
        continue;
      }
      const fields = fieldsOf(type);
      const next = fields === undefined || fields === "unknown" || segment.index ? undefined : fields[segment.name];
      if (next === undefined) {
        valid = false;
        break;
      }
      type = next;
    }
    if (valid) result.push(type);
  }
  return result;
}

function segmentsText(segments: readonly ChainSegment[]): string {
  return segments.map((segment) => (segment.index ? "[]" : `.${segment.name}`)).join("");
}

/** Local names bound from a root inside the callback: `const x = event.data.checkout`, `const { checkout } = event.data`. */
function aliasesIn(file: SourceFile, start: number, end: number, roots: Root[]): void {
  const body = file.bare.slice(start, end);
  const declaration = /\b(?:const|let|var)\s+(?:([A-Za-z_$][\w$]*)|\{([^}]*)\})\s*=\s*([A-Za-z_$][\w$]*)/g;
  for (const match of body.matchAll(declaration)) {
    const root = roots.find((candidate) => candidate.name === match[3]);
    if (root === undefined) continue;
    const chain = readChain(file, start + match.index + match[0].length);
    if (chain.segments.some((segment) => segment.call)) continue;
    const types = typesAfter(root.types, chain.segments);
    const prefix = `${root.prefix}${segmentsText(chain.segments)}`;
    if (match[1] !== undefined) roots.push({ name: match[1], types, prefix });
    for (const part of (match[2] ?? "").split(",")) {
      const binding = /^\s*([A-Za-z_$][\w$]*)\s*(?::\s*([A-Za-z_$][\w$]*))?\s*$/.exec(part);
      if (binding?.[1] === undefined) continue;
      const step: ChainSegment = { name: binding[1], index: false, call: false };
      roots.push({ name: binding[2] ?? binding[1], types: typesAfter(types, [step]), prefix: `${prefix}.${binding[1]}` });
    }
  }
}

function checkChainsFrom(source: ExtensionSource, file: SourceFile, start: number, end: number, roots: readonly Root[], subscribed: string | null): Finding[] {
  const findings: Finding[] = [];
  const seen = new Set<string>();
  for (const root of roots) {
    if (root.types.length === 0) continue;
    const pattern = new RegExp(`(?<![\\w$.])${root.name.replace(/\$/g, "\\$")}\\b`, "g");
    pattern.lastIndex = start;
    for (let match = pattern.exec(file.bare); match !== null && match.index < end; match = pattern.exec(file.bare)) {
      const { segments } = readChain(file, match.index + match[0].length);
      if (segments.length === 0) continue;
      const verdicts = root.types.map((type) => walkPath(type, segments));
      const passing = verdicts.find((verdict): verdict is { ok: true; readsOrderId: boolean } => verdict.ok);
      const path = `${root.prefix}${segmentsText(segments)}`;
      const key = `${match.index}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const evidence = evidenceAt(source.path, file, match.index);
      if (passing === undefined) {
        const failedAt = Math.max(...verdicts.map((verdict) => (verdict.ok ? 0 : verdict.failedAt)));
        const missing = segments[failedAt]?.name ?? "";
        const where = subscribed === null ? "" : ` on ${subscribed}`;
        findings.push(
          finding(18, "payload_path_unknown", "error", null, evidence, `The pixel reads ${path}${where}, but "${missing}" does not exist there in @shopify/web-pixels-extension 2.18.0's types, so it is always undefined.`, `Read the field where the typedef puts it (variant: productVariant / cartLine.merchandise / checkout.lineItems[].variant; search: event.data.searchResult) and type-check ${file.name} against the pinned package.`),
        );
      } else if (passing.readsOrderId && subscribed !== null && subscribed !== "checkout_completed" && STANDARD_SET.has(subscribed)) {
        findings.push(
          finding(18, "order_id_outside_checkout_completed", "warning", null, evidence, `The pixel reads ${path} on ${subscribed}, but Shopify sets the order id only on checkout_completed; here it is always null, so anything keyed on it (a dedupe id, order_id) is empty.`, `Read checkout.order.id only in the checkout_completed subscription; use the event's id for other events.`),
        );
      }
    }
  }
  return findings;
}

const REGISTER_INIT = /\bregister\s*\(\s*(?:async\s*)?(?:function\s*[\w$]*\s*)?\(\s*\{[^}]*\binit\b/;

function checkPayloadPaths(source: ExtensionSource, facts: Facts, plan: TrackingPlan | undefined): Finding[] {
  const findings: Finding[] = [];
  const custom = declaredCustomEvents(plan);
  for (const subscription of facts.subscriptions) {
    const callback = subscription.callback;
    if (subscription.name === null || callback === null) continue;
    const eventTypes = eventTypesOf(subscription.name, custom);
    if (eventTypes.length === 0) continue;
    const roots: Root[] = [];
    if (callback.eventName !== null) roots.push({ name: callback.eventName, types: eventTypes, prefix: callback.eventName });
    if (callback.dataName !== null) roots.push({ name: callback.dataName, types: typesAfter(eventTypes, [{ name: "data", index: false, call: false }]), prefix: "event.data" });
    aliasesIn(subscription.file, callback.start, callback.end, roots);
    findings.push(...checkChainsFrom(source, subscription.file, callback.start, callback.end, roots, subscription.name));
  }
  // `init` is checked only where it is the register callback's (a fetch `init` elsewhere is not).
  for (const file of facts.files) {
    if (REGISTER_INIT.test(file.bare)) findings.push(...checkChainsFrom(source, file, 0, file.bare.length, [{ name: "init", types: ["RegisterInit"], prefix: "init" }], null));
  }
  return findings;
}

// ---------------------------------------------------------------------------------------------------
// Check 23: the consent declaration
// ---------------------------------------------------------------------------------------------------

const PRIVACY_KEYS = ["analytics", "marketing", "preferences", "sale_of_data"] as const;
const SALE_OF_DATA_VALUES = ["enabled", "disabled", "ldu"];

interface Destinations {
  marketing: { platform: Platform; evidence: Evidence } | null;
  analytics: { platform: Platform; evidence: Evidence } | null;
}

/** Where the code (or the plan it runs on) sends to a marketing platform, and to GA4. */
function destinationsOf(source: ExtensionSource, facts: Facts, plan: TrackingPlan | undefined, tomlLocation: string): Destinations {
  const result: Destinations = { marketing: null, analytics: null };
  const note = (platform: Platform, marketing: boolean, evidence: Evidence) => {
    const purpose = marketing ? "marketing" : "analytics";
    if (result[purpose] === null) result[purpose] = { platform, evidence };
  };
  for (const constant of facts.mappingConstants) note(constant.platform, isMarketingPlatform(constant.platform), evidenceAt(source.path, constant.file, constant.index));
  for (const call of facts.vendorCalls) {
    const platform: Platform = call.vendor === "fbq" ? "meta" : call.vendor === "ttq" ? "tiktok" : call.vendor === "pintrk" ? "pinterest" : "ga4";
    const adsTag = call.vendor === "gtag" && call.file.code.slice(call.index, call.index + 200).includes("AW-");
    note(platform, platform !== "ga4" || adsTag, evidenceAt(source.path, call.file, call.index));
  }
  for (const host of facts.hosts) note(host.platform, host.marketing, evidenceAt(source.path, host.file, host.index));
  for (const settings of plan?.platforms ?? []) {
    if (settings.enabled) note(settings.platform, isMarketingPlatform(settings.platform), { location: `${tomlLocation} (tracking plan: ${settings.platform} enabled)` });
  }
  return result;
}

function gatesManually(facts: Facts, flag: keyof Facts["flagReads"]): boolean {
  return facts.initConsentRead !== null && facts.privacySubscriptions.some((subscription) => subscription.name === "visitorConsentCollected") && facts.flagReads[flag] !== null;
}

function checkConsentDeclaration(source: ExtensionSource, facts: Facts, toml: TomlDocument, destinations: Destinations): Finding[] {
  const findings: Finding[] = [];
  const tomlFile = `${source.path}/shopify.extension.toml`;
  const tomlLines = source.toml.split("\n");
  const at = (line: number | undefined): Evidence =>
    line === undefined ? { location: tomlFile } : { location: `${tomlFile}:${line}`, excerpt: (tomlLines[line - 1] ?? "").trim().slice(0, 160) };
  for (const problem of toml.problems) {
    findings.push(finding(23, "consent_declaration_invalid", "error", null, at(problem.line), `shopify.extension.toml line ${problem.line} cannot be read (${problem.message}), so the Shopify CLI rejects the extension and its consent declaration.`, `Fix the TOML syntax on line ${problem.line}.`));
  }
  const type = toml.values.get("type");
  if (type?.value !== "web_pixel_extension") {
    findings.push(
      finding(23, "extension_not_web_pixel", "error", null, at(type?.line), type === undefined ? "shopify.extension.toml has no type, so Shopify does not treat the folder as a web pixel and ignores its [customer_privacy] declaration." : `shopify.extension.toml declares type = "${String(type.value)}", not "web_pixel_extension", so its [customer_privacy] declaration is not applied to a pixel.`, `Set type = "web_pixel_extension" at the top of shopify.extension.toml.`),
    );
  }
  const declared = toml.tables.has("customer_privacy") || [...toml.values.keys()].some((key) => key.startsWith("customer_privacy."));
  const marketing = destinations.marketing;
  if (!declared) {
    findings.push(
      finding(23, "consent_declaration_missing", marketing === null ? "warning" : "error", marketing?.platform ?? null, at(undefined), marketing === null ? "shopify.extension.toml has no [customer_privacy] block; what Shopify does then is undocumented, so the pixel may load without any permission." : `shopify.extension.toml has no [customer_privacy] block while the pixel sends to ${PLATFORM_LABELS[marketing.platform]} (${marketing.evidence.location}): nothing stops it loading for visitors who refused marketing.`, "Add [customer_privacy] with analytics, marketing, preferences and sale_of_data, declaring marketing = true for any ad platform."),
    );
    return findings;
  }
  const tableLine = toml.tables.get("customer_privacy");
  const value = (key: string) => toml.values.get(`customer_privacy.${key}`);
  for (const key of PRIVACY_KEYS) {
    const entry = value(key);
    const valid = key === "sale_of_data" ? typeof entry?.value === "string" && SALE_OF_DATA_VALUES.includes(entry.value) : typeof entry?.value === "boolean";
    if (!valid) {
      findings.push(
        finding(23, "consent_declaration_invalid", "error", null, at(entry?.line ?? tableLine), entry === undefined ? `[customer_privacy] lacks "${key}"; the Shopify CLI requires all four purposes once the block is present.` : `[customer_privacy] ${key} = ${JSON.stringify(entry.value)} is not valid: it must be ${key === "sale_of_data" ? '"enabled", "disabled" or "ldu"' : "true or false"}.`, key === "sale_of_data" ? 'Set sale_of_data = "enabled" (or "ldu" when the code applies limited data use).' : `Set ${key} = true or false in [customer_privacy].`),
      );
    }
  }
  if (marketing !== null && value("marketing")?.value === false) {
    const gated = gatesManually(facts, "marketingAllowed");
    const line = value("marketing")?.line;
    findings.push(
      finding(23, "marketing_consent_not_declared", gated ? "warning" : "error", marketing.platform, at(line), gated ? `The pixel sends to ${PLATFORM_LABELS[marketing.platform]} but declares marketing = false; it gates on marketingAllowed in code, but Shopify will list it as needing no marketing permission.` : `The pixel sends to ${PLATFORM_LABELS[marketing.platform]} (${marketing.evidence.location}) but declares marketing = false, so Shopify loads it for visitors who refused marketing and nothing in the code stops the events.`, "Set marketing = true in [customer_privacy]."),
    );
  }
  const analytics = destinations.analytics;
  if (analytics !== null && value("analytics")?.value === false && !gatesManually(facts, "analyticsProcessingAllowed")) {
    findings.push(
      finding(23, "analytics_consent_not_declared", "warning", analytics.platform, at(value("analytics")?.line), `The pixel sends to ${PLATFORM_LABELS[analytics.platform]} (${analytics.evidence.location}) but declares analytics = false and never checks analyticsProcessingAllowed, so it measures visitors who refused analytics.`, "Set analytics = true in [customer_privacy], or gate GA4 on analyticsProcessingAllowed in code."),
    );
  }
  if (marketing !== null && value("sale_of_data")?.value === "disabled" && facts.flagReads.saleOfDataAllowed === null) {
    findings.push(
      finding(23, "sale_of_data_not_declared", "warning", marketing.platform, at(value("sale_of_data")?.line), `The pixel shares events with ${PLATFORM_LABELS[marketing.platform]} but declares sale_of_data = "disabled", so it keeps running for visitors who opted out of the sale of their data, and the code never reads saleOfDataAllowed.`, 'Set sale_of_data = "enabled", or "ldu" and apply limited data use when saleOfDataAllowed is false.'),
    );
  }
  return findings;
}

// ---------------------------------------------------------------------------------------------------
// Check 24: runtime gating
// ---------------------------------------------------------------------------------------------------

function checkRuntimeGating(source: ExtensionSource, facts: Facts, toml: TomlDocument, destinations: Destinations): Finding[] {
  const findings: Finding[] = [];
  const consentEvents = facts.privacySubscriptions.filter((subscription) => {
    if (subscription.name === "visitorConsentCollected" || /TrackingEvents\s*\.\s*CONSENT_COLLECTED/.test(subscription.argumentText)) return true;
    findings.push(
      finding(24, "unknown_privacy_event", "error", null, evidenceAt(source.path, subscription.file, subscription.index), `customerPrivacy.subscribe("${subscription.name ?? subscription.argumentText}") never fires: "visitorConsentCollected" is the only privacy event Shopify delivers to pixels.`, 'Subscribe with customerPrivacy.subscribe("visitorConsentCollected", …).'),
    );
    return false;
  });
  const initRead = facts.initConsentRead;
  const change = consentEvents[0];
  if (initRead !== null && change === undefined) {
    findings.push(
      finding(24, "consent_change_ignored", "error", null, evidenceAt(source.path, initRead.file, initRead.index), "The pixel reads init.customerPrivacy but never subscribes to visitorConsentCollected, so a choice made in the banner after the page loaded is ignored until the next page.", 'Add customerPrivacy.subscribe("visitorConsentCollected", (event) => { … event.customerPrivacy … }) and update the consent state the gate reads.'),
    );
  }
  if (change !== undefined && initRead === null) {
    findings.push(
      finding(24, "initial_consent_ignored", "error", null, evidenceAt(source.path, change.file, change.index), "The pixel listens to visitorConsentCollected but never reads init.customerPrivacy, so until the visitor changes their choice it does not know the consent the page started with.", "Initialise the consent state from init.customerPrivacy when the pixel registers."),
    );
  }
  if (initRead === null && change === undefined) return findings;
  const anchor = initRead ?? change;
  if (anchor === undefined) return findings;
  const needs: { flag: keyof Facts["flagReads"]; destination: Destinations["marketing"]; purpose: string }[] = [
    { flag: "marketingAllowed", destination: destinations.marketing, purpose: "marketing" },
    { flag: "analyticsProcessingAllowed", destination: destinations.analytics, purpose: "analytics" },
  ];
  for (const { flag, destination, purpose } of needs) {
    if (destination === null || facts.flagReads[flag] !== null) continue;
    findings.push(
      finding(24, "consent_purpose_unchecked", "error", destination.platform, evidenceAt(source.path, anchor.file, anchor.index), `The pixel reads the visitor's consent but never checks ${flag}, although it sends to ${PLATFORM_LABELS[destination.platform]} (a ${purpose} destination).`, `Send to ${PLATFORM_LABELS[destination.platform]} only while customerPrivacy.${flag} is true.`),
    );
  }
  const saleOfData = toml.values.get("customer_privacy.sale_of_data");
  if (destinations.marketing !== null && saleOfData?.value === "ldu" && facts.flagReads.saleOfDataAllowed === null) {
    findings.push(
      finding(24, "sale_of_data_unchecked", "error", destinations.marketing.platform, evidenceAt(source.path, anchor.file, anchor.index), 'shopify.extension.toml declares sale_of_data = "ldu", so the pixel also runs for visitors who refused the sale of their data, but the code never reads saleOfDataAllowed: their events go out with full data.', "Read saleOfDataAllowed and, when it is false, send with limited data use (Meta LDU, Pinterest opt_out) or not at all."),
    );
  }
  return findings;
}

// ---------------------------------------------------------------------------------------------------
// Checks 25 and 27: vendor consent defaults, Consent Mode v2
// ---------------------------------------------------------------------------------------------------

interface VendorConsentRule {
  vendor: VendorCall["vendor"];
  platform: Platform;
  label: string;
  isUse(call: VendorCall): boolean;
  /** "restrictive" for a deny-by-default call, "permissive" for a grant, else null. */
  consentKind(call: VendorCall): "restrictive" | "permissive" | null;
  fix: string;
}

const CONSENT_MODE_SIGNALS = ["ad_storage", "analytics_storage", "ad_user_data", "ad_personalization"] as const;

function consentObjectSignals(call: VendorCall): Map<string, string> | null {
  const text = argumentText(call.file, call.args[2]);
  if (!text.startsWith("{")) return null;
  const signals = new Map<string, string>();
  for (const match of text.matchAll(/["']?([a-z_]+)["']?\s*:\s*["'](granted|denied)["']/g)) signals.set(match[1] ?? "", match[2] ?? "");
  return signals;
}

const VENDOR_CONSENT_RULES: readonly VendorConsentRule[] = [
  {
    vendor: "fbq",
    platform: "meta",
    label: "Meta Pixel",
    isUse: (call) => ["init", "track", "trackCustom", "trackSingle", "trackSingleCustom"].includes(call.command ?? ""),
    consentKind: (call) => (call.command !== "consent" ? null : argumentString(call.file, call.args[1]) === "revoke" ? "restrictive" : "permissive"),
    fix: "Call fbq('consent', 'revoke') before fbq('init', …), and fbq('consent', 'grant') only once marketingAllowed is true.",
  },
  {
    vendor: "ttq",
    platform: "tiktok",
    label: "TikTok Pixel",
    isUse: (call) => ["load", "page", "track", "identify"].includes(call.command ?? ""),
    consentKind: (call) => (call.command === "holdConsent" || call.command === "revokeConsent" ? "restrictive" : call.command === "grantConsent" ? "permissive" : null),
    fix: "Call ttq.holdConsent() before ttq.load(…), then ttq.grantConsent() or ttq.revokeConsent() from the visitor's choice.",
  },
  {
    vendor: "pintrk",
    platform: "pinterest",
    label: "Pinterest Tag",
    isUse: (call) => ["load", "page", "track"].includes(call.command ?? ""),
    consentKind: (call) => (call.command !== "setconsent" ? null : argumentText(call.file, call.args[1]) === "false" ? "restrictive" : "permissive"),
    fix: "Call pintrk('setconsent', false) before pintrk('load', …), and pintrk('setconsent', true) only after marketing consent.",
  },
  {
    vendor: "gtag",
    platform: "ga4",
    label: "Google tag",
    isUse: (call) => call.command === "config" || call.command === "event",
    consentKind: (call) => {
      if (call.command !== "consent" || argumentString(call.file, call.args[1]) !== "default") return null;
      const signals = consentObjectSignals(call);
      return signals !== null && [...signals.values()].some((state) => state === "granted") ? "permissive" : "restrictive";
    },
    fix: "Call gtag('consent', 'default', { ad_storage: 'denied', analytics_storage: 'denied', ad_user_data: 'denied', ad_personalization: 'denied' }) before any gtag('config', …).",
  },
];

function checkVendorDefaults(source: ExtensionSource, facts: Facts): Finding[] {
  const findings: Finding[] = [];
  for (const rule of VENDOR_CONSENT_RULES) {
    const calls = facts.vendorCalls.filter((call) => call.vendor === rule.vendor);
    const firstUse = calls.find((call) => rule.isUse(call));
    if (firstUse === undefined) continue;
    const consentCalls = calls.filter((call) => rule.consentKind(call) !== null);
    const firstConsent = consentCalls[0];
    const evidence = evidenceAt(source.path, firstUse.file, firstUse.index);
    if (firstConsent === undefined) {
      findings.push(finding(25, "vendor_consent_default_missing", "error", rule.platform, evidence, `The ${rule.label} is used without first setting a restrictive consent default, so it sets cookies and tracks before the visitor has chosen.`, rule.fix));
    } else if (rule.consentKind(firstConsent) === "permissive") {
      findings.push(finding(25, "vendor_consent_default_not_restrictive", "error", rule.platform, evidenceAt(source.path, firstConsent.file, firstConsent.index), `The ${rule.label}'s first consent call grants consent, so tracking is on by default instead of waiting for the visitor's choice.`, rule.fix));
    } else if (firstConsent.file === firstUse.file && firstConsent.index > firstUse.index) {
      findings.push(finding(25, "vendor_consent_default_late", "error", rule.platform, evidence, `The ${rule.label} is used before its restrictive consent default is set, so the first hits go out without consent.`, rule.fix));
    }
  }
  return findings;
}

function checkConsentMode(source: ExtensionSource, facts: Facts): Finding[] {
  const findings: Finding[] = [];
  const gtagCalls = facts.vendorCalls.filter((call) => call.vendor === "gtag");
  if (gtagCalls.length === 0) return findings;
  let updateSeen = false;
  for (const call of gtagCalls) {
    if (call.command !== "consent") continue;
    const mode = argumentString(call.file, call.args[1]);
    if (mode === "update") updateSeen = true;
    const signals = consentObjectSignals(call);
    if (signals === null || (mode !== "default" && mode !== "update")) continue;
    const missing = CONSENT_MODE_SIGNALS.filter((signal) => !signals.has(signal));
    if (missing.length > 0) {
      findings.push(
        finding(27, "consent_mode_signals_missing", "error", "ga4", evidenceAt(source.path, call.file, call.index), `gtag('consent', '${mode}', …) does not set ${missing.join(", ")}: Consent Mode v2 needs all four of ad_storage, analytics_storage, ad_user_data and ad_personalization, or Google treats EEA traffic as unconsented for ads.`, `Add ${missing.map((signal) => `${signal}: 'denied' or 'granted'`).join(", ")} to that gtag('consent', '${mode}', …) call.`),
      );
    }
  }
  if (!updateSeen) {
    const first = gtagCalls[0];
    if (first !== undefined) {
      findings.push(
        finding(27, "consent_mode_update_missing", "error", "ga4", evidenceAt(source.path, first.file, first.index), "The Google tag never receives gtag('consent', 'update', …), so the visitor's choice never reaches Google and consented visitors stay in the denied state.", "Call gtag('consent', 'update', { … all four signals … }) from init.customerPrivacy and again on every visitorConsentCollected."),
      );
    }
  }
  return findings;
}

// ---------------------------------------------------------------------------------------------------
// Entry point
// ---------------------------------------------------------------------------------------------------

/**
 * Checks 1, 2, 8, 18, 23, 24, 25 and 27 over the extension's TOML and source. With a plan, custom
 * events it declares are known, its prefix is the namespace rule, and mapping constants are compared
 * with it (the pixel sends what the plan says).
 */
export function checkExtension(source: ExtensionSource, plan?: TrackingPlan): Finding[] {
  const facts = gatherFacts(source);
  const toml = readExtensionToml(source.toml);
  const destinations = destinationsOf(source, facts, plan, `${source.path}/shopify.extension.toml`);
  return [
    ...checkSubscriptions(source, facts, plan),
    ...checkPublishedEvents(source, facts, plan),
    ...checkMappingConstants(source, facts, plan),
    ...checkPayloadPaths(source, facts, plan),
    ...checkConsentDeclaration(source, facts, toml, destinations),
    ...checkRuntimeGating(source, facts, toml, destinations),
    ...checkVendorDefaults(source, facts),
    ...checkConsentMode(source, facts),
  ];
}

/** The §(c) checks this module implements. */
export const EXTENSION_CHECKS = [1, 2, 8, 18, 23, 24, 25, 27] as const;

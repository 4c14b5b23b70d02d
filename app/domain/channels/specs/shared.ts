/**
 * Types and values every channel spec shares. Kept apart from index.ts so the channel modules can
 * import values from here without an import cycle through the registry.
 */
import type { Availability, ChannelId, Severity } from "../types";

/**
 * Text rules a channel enforces, with the severity Shelfcast gives a breach; null where the channel
 * has no such rule.
 */
export interface TextRules {
  /** Title written in capitals only. */
  titleAllCaps: Severity | null;
  descriptionAllCaps: Severity | null;
  /** "Free shipping", "50% off" and the like in the title. */
  titlePromotional: Severity | null;
  /** HTML tags or entities in a plain-text field (title, description). */
  htmlInPlainText: Severity | null;
  /** A link, e-mail address or phone number in the description. */
  descriptionOffPlatformContact: Severity | null;
  /** Chinese (Han) characters in the title. */
  titleCjk: Severity | null;
  /** The description repeats the title word for word. */
  descriptionSameAsTitle: Severity | null;
  /** Emoji and control characters are removed from the title (with a warning) instead of rejected. */
  removeEmojiFromTitle: boolean;
}

/** What every channel spec has: the parts the shared checks (checks.ts) read. */
export interface ChannelSpecBase {
  channel: ChannelId;
  /** Short name used in messages and fix hints ("Meta", as in Shelfcast → Channels → Meta → Mapping). */
  label: string;
  /**
   * Maximum length in characters (code points) per channel field name. `custom_label` applies to each
   * custom_label_N; a URL list field's limit applies to each URL. Fields absent here are not checked.
   */
  maxLength: Readonly<Record<string, number>>;
  /**
   * Fields cut at a word boundary (with a warning) when too long rather than rejected: free text whose
   * end a shopper rarely misses. Ids, titles, identifiers and URLs are rejected instead.
   */
  truncatedFields: readonly string[];
  text: TextRules;
  /** Severity of a barcode that fails the GS1 checks. */
  gtinInvalid: Severity;
  /** Smallest accepted image side in pixels, checked when Shopify knows the image's size. */
  minImagePx: number;
  /** Largest accepted image side, or null when the channel sets none. */
  maxImagePx: number | null;
  /** Most distinct variant dimensions (option names) a product may have; null: no limit. */
  maxVariantDimensions: number | null;
  /**
   * Diagnostic codes the channel itself uses, keyed by Shelfcast's problem name (`too_long`) or by
   * problem and field (`missing:title`). A value may contain `{field}`. See checks.ts for the scheme.
   */
  nativeCodes: Readonly<Record<string, string>>;
}

/** A channel whose feed has one flat record per item (Meta, TikTok ads, Pinterest, Google). */
export interface FlatChannelSpec extends ChannelSpecBase {
  /** The feed's columns in order: every field name a record may carry. */
  columns: readonly string[];
  /** The field that carries the item id ("id"; TikTok ads "sku_id"). */
  idField: string;
  /** Channel-neutral availability → the channel's spelling. */
  availability: Readonly<Record<Availability, string>>;
  conditions: readonly string[];
  genders: readonly string[];
  ageGroups: readonly string[];
  /** Most additional images; extra ones are left out with a warning. */
  maxAdditionalImages: number;
  /**
   * A smaller-image rule announced for a later date: before it applies, smaller images get a warning;
   * from `effectiveFrom` (ISO date-time) on, `minPx` is the minimum.
   */
  upcomingMinImage: { minPx: number; effectiveFrom: string } | null;
  /** Brand required on its own; null when not. */
  brandRequired: Severity | null;
  /** At least one of brand, GTIN or MPN required; null when not. */
  identifierRequired: Severity | null;
  /** Most items in one item group; null: no limit known. */
  maxItemsPerGroup: number | null;
}


/** The conditions every channel takes, spelled the same everywhere (doc for Meta, Pinterest, Google; TikTok ads (doc) §2.8). */
export const CORE_CONDITIONS = ["new", "refurbished", "used"] as const;

/** Genders Meta, Pinterest and Google accept (doc). */
export const GENDERS = ["female", "male", "unisex"] as const;

/** Age groups Pinterest and Google accept (doc); Meta adds "teen" and "all ages". */
export const AGE_GROUPS = ["newborn", "infant", "toddler", "kids", "adult"] as const;

/** custom_label_0 … custom_label_4: the same five columns on every flat channel. */
export const CUSTOM_LABEL_COLUMNS = ["custom_label_0", "custom_label_1", "custom_label_2", "custom_label_3", "custom_label_4"] as const;

/** Descriptive columns every flat channel shares, in the order the feeds write them. */
export const PRODUCT_DETAIL_COLUMNS = [
  "brand",
  "gtin",
  "mpn",
  "google_product_category",
  "product_type",
  "color",
  "size",
  "material",
  "pattern",
  "gender",
  "age_group",
] as const;

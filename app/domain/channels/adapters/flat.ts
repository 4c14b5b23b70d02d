/**
 * The engine behind the four flat feeds (Meta, TikTok ads, Pinterest, Google): one record per item,
 * keyed by the channel's field names, built and checked by the shared checks with the channel's spec.
 * Each channel adds only what is its own through `extend` (Meta's quantity and variant attributes,
 * Google's availability_date, …).
 */
import {
  checkBarcode,
  checkEnum,
  checkExtraImages,
  checkLength,
  checkLink,
  checkMainImage,
  checkMoney,
  checkPlainDescription,
  checkSaleBelowPrice,
  checkTitle,
  checkVariantGroup,
  customLabelSource,
  formatMoney,
  imageLimits,
  reportMissing,
  Reporter,
  requireValue,
  TextScanner,
  type ImageLimits,
  type VariantGroupOptions,
} from "../checks";
import type { FlatChannelSpec } from "../specs";
import { CUSTOM_LABEL_COLUMNS } from "../specs/shared";
import type { ChannelAdapter, ChannelContext, ChannelRecord, FeedFormat, FlatRecord, MappedItem } from "../types";

export interface FlatAdapterOptions<S extends FlatChannelSpec> {
  spec: S;
  label: string;
  formats: readonly FeedFormat[];
  titleIncludesVariant: boolean;
  /** Adds the channel's own fields and checks to an item's record, after the shared ones. */
  extend?: (item: MappedItem, fields: FlatRecord, r: Reporter, spec: S) => void;
}

/** "start/end", each an ISO 8601 date-time Date.parse understands. */
function isDateRange(value: string): boolean {
  const slash = value.indexOf("/");
  if (slash <= 0 || slash !== value.lastIndexOf("/")) return false;
  return !Number.isNaN(Date.parse(value.slice(0, slash))) && !Number.isNaN(Date.parse(value.slice(slash + 1)));
}

function setPrices(r: Reporter, fields: FlatRecord, item: MappedItem, withSaleDates: boolean): void {
  const { price, salePrice } = item;
  if (!checkMoney(r, "price", price, "price", true)) return;
  fields.price = formatMoney(price);
  if (!checkMoney(r, "sale_price", salePrice, "salePrice", false) || !checkSaleBelowPrice(r, "sale_price", salePrice, price)) return;
  fields.sale_price = formatMoney(salePrice);
  const dates = item.salePriceEffectiveDate;
  if (!withSaleDates || !dates) return;
  if (isDateRange(dates)) {
    fields.sale_price_effective_date = dates;
    return;
  }
  r.add({
    problem: "invalid",
    severity: "warning",
    field: "sale_price_effective_date",
    value: dates,
    message: `The sale dates "${dates}" are not "start/end" ISO 8601 date-times; they are left out, so the sale runs until removed.`,
    change: "Write the sale dates as 2026-11-27T00:00-05:00/2026-11-30T23:59-05:00",
    source: "salePriceEffectiveDate",
  });
}

function setIdentifiers(r: Reporter, fields: FlatRecord, item: MappedItem, spec: FlatChannelSpec): void {
  const brand = item.brand?.trim() ? checkLength(r, "brand", item.brand, "brand") : null;
  if (brand) fields.brand = brand;
  const gtin = checkBarcode(r, "gtin", item.gtin);
  if (gtin) fields.gtin = gtin;
  const mpn = item.mpn?.trim() ? checkLength(r, "mpn", item.mpn, "mpn") : null;
  if (mpn) fields.mpn = mpn;
  if (!brand && spec.brandRequired) reportMissing(r, "brand", "brand", "a brand", spec.brandRequired);
  if (!brand && !gtin && !mpn && spec.identifierRequired) {
    r.add({
      problem: "identifier_missing",
      severity: spec.identifierRequired,
      field: "brand",
      value: null,
      message: `${spec.label} needs a brand, a GTIN or an MPN to identify the item, and it has none of them.`,
      change: "Set the product's vendor, or the variant's barcode",
      source: "brand",
    });
  }
}

function setDetails(r: Reporter, fields: FlatRecord, item: MappedItem, spec: FlatChannelSpec): void {
  // Optional free text, sent as it is within the length limits (written out: this runs per item).
  const { googleProductCategory, productType, color, size, material, pattern } = item;
  if (googleProductCategory) fields.google_product_category = checkLength(r, "google_product_category", googleProductCategory, "googleProductCategory");
  if (productType) fields.product_type = checkLength(r, "product_type", productType, "productType");
  if (color) fields.color = checkLength(r, "color", color, "color");
  if (size) fields.size = checkLength(r, "size", size, "size");
  if (material) fields.material = checkLength(r, "material", material, "material");
  if (pattern) fields.pattern = checkLength(r, "pattern", pattern, "pattern");
  const gender = checkEnum(r, "gender", item.gender, spec.genders, "gender", "warning");
  if (gender) fields.gender = gender;
  const ageGroup = checkEnum(r, "age_group", item.ageGroup, spec.ageGroups, "ageGroup", "warning");
  if (ageGroup) fields.age_group = ageGroup;
  const weight = item.shippingWeight;
  if (weight && weight.value > 0) fields.shipping_weight = `${weight.value} ${weight.unit}`;
  for (let index = 0; index < CUSTOM_LABEL_COLUMNS.length; index += 1) {
    const label = item.customLabels[index];
    const field = CUSTOM_LABEL_COLUMNS[index];
    if (label && field) fields[field] = checkLength(r, field, label, customLabelSource(index), "custom_label");
  }
}

interface ItemContext {
  spec: FlatChannelSpec;
  scanner: TextScanner;
  limits: ImageLimits;
  withSaleDates: boolean;
}

/** The fields every flat channel shares, checked; the record leaves out what is absent or unusable. */
function mapItem(r: Reporter, item: MappedItem, { spec, scanner, limits, withSaleDates }: ItemContext): FlatRecord {
  const fields: FlatRecord = {};
  if (requireValue(r, spec.idField, item.id, "id", "an item id")) fields[spec.idField] = checkLength(r, spec.idField, item.id, "id");
  if (item.groupId !== "") fields.item_group_id = checkLength(r, "item_group_id", item.groupId, "groupId");
  const title = checkTitle(r, "title", item.title, scanner);
  if (title) fields.title = title;
  const description = checkPlainDescription(r, "description", item.description, title, scanner);
  if (description) fields.description = description;
  fields.availability = spec.availability[item.availability];
  const condition = checkEnum(r, "condition", item.condition, spec.conditions, "condition", "error");
  if (condition) fields.condition = condition;
  setPrices(r, fields, item, withSaleDates);
  const link = checkLink(r, "link", item.link);
  if (link) fields.link = link;
  const image = checkMainImage(r, "image_link", item.image, limits);
  if (image) fields.image_link = image;
  const extraImages = checkExtraImages(r, "additional_image_link", item.additionalImages, limits, spec.maxAdditionalImages);
  if (extraImages.length > 0) fields.additional_image_link = extraImages;
  setIdentifiers(r, fields, item, spec);
  setDetails(r, fields, item, spec);
  return fields;
}

/** A ChannelAdapter for a flat feed channel. */
export function createFlatAdapter<S extends FlatChannelSpec>(options: FlatAdapterOptions<S>): ChannelAdapter {
  const { spec, extend } = options;
  const withSaleDates = spec.columns.includes("sale_price_effective_date");
  const groupOptions: VariantGroupOptions = {
    idField: spec.idField,
    attributesField: "options",
    groupField: "item_group_id",
    maxItemsPerGroup: spec.maxItemsPerGroup,
    productRecord: null,
  };
  const itemContexts = new WeakMap<ChannelContext, ItemContext>();
  return {
    channel: spec.channel,
    label: options.label,
    formats: options.formats,
    titleIncludesVariant: options.titleIncludesVariant,
    columns: spec.columns,
    evaluate(items, ctx) {
      const r = new Reporter(spec, ctx);
      // One context per feed (ctx is the feed's), not per product: a feed evaluates every product.
      let itemContext = itemContexts.get(ctx);
      if (!itemContext) {
        itemContext = { spec, scanner: new TextScanner(spec.text), limits: imageLimits(spec, ctx.now), withSaleDates };
        itemContexts.set(ctx, itemContext);
      }
      checkVariantGroup(r, items, groupOptions);
      const records: ChannelRecord[] = [];
      for (const item of items) {
        r.at(item);
        const fields = mapItem(r, item, itemContext);
        if (extend) extend(item, fields, r, spec);
        if (!r.subjectHasError) records.push({ key: item.id, itemIds: [item.id], fields });
      }
      return { records, diagnostics: r.diagnostics };
    },
  };
}

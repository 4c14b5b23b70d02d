/**
 * Meta catalog feed (Facebook Shops, Instagram Shopping, WhatsApp and Advantage+ catalog ads read the
 * same catalog): channels.md §1. Feed field names (title, link, image_link, price "19.99 USD"), which
 * are also what items_batch takes.
 */
import { checkLength, type Reporter } from "../checks";
import { META_SPEC, type MetaSpec } from "../specs";
import { collapseWhitespace } from "../text";
import type { ChannelAdapter, FlatRecord, MappedItem } from "../types";
import { createFlatAdapter } from "./flat";

const ISO_COUNTRY = /^[A-Z]{2}$/;
/** Meta splits additional_variant_attribute on "," and ":", so neither may appear inside a key or value. */
const ATTRIBUTE_SEPARATORS = /[,:]/g;

function attributePart(text: string): string {
  return collapseWhitespace(text.replace(ATTRIBUTE_SEPARATORS, " "));
}

/**
 * Options Meta has no field of its own for ("Scent", "Material", a "Style" option), as
 * "Key:Value,Key:Value"; null when every option is a core variant field.
 */
export function additionalVariantAttribute(item: MappedItem, coreKinds: readonly string[]): string | null {
  let out = "";
  for (const attribute of item.variantAttributes) {
    if (attribute.kind !== null && coreKinds.includes(attribute.kind)) continue;
    const name = attributePart(attribute.name);
    const value = attributePart(attribute.value);
    if (name === "" || value === "") continue;
    out += `${out === "" ? "" : ","}${name}:${value}`;
  }
  return out === "" ? null : out;
}

function extendMeta(item: MappedItem, fields: FlatRecord, r: Reporter, spec: MetaSpec): void {
  if (item.richDescription) fields.rich_text_description = checkLength(r, "rich_text_description", item.richDescription, "richDescription");
  const additional = additionalVariantAttribute(item, spec.coreVariantKinds);
  if (additional) fields.additional_variant_attribute = additional;
  if (item.quantity !== null) {
    fields.quantity_to_sell_on_facebook = String(item.quantity);
    if (item.quantity === 0 && item.availability === "in_stock") {
      r.add({
        problem: "zero_quantity_in_stock",
        severity: "warning",
        field: "quantity_to_sell_on_facebook",
        value: item.quantity,
        message: "The item is sent as in stock with 0 units to sell, so shoppers cannot buy it on Facebook or Instagram.",
        change: "Restock the variant, or stop selling it when out of stock",
        source: "quantity",
      });
    }
  }
  fields.status = spec.status[item.status];
  fields.visibility = spec.visibility[item.status];
  const origin = item.originCountry;
  if (!origin) return;
  if (ISO_COUNTRY.test(origin)) {
    fields.origin_country = origin;
    return;
  }
  r.add({
    problem: "invalid",
    severity: "warning",
    field: "origin_country",
    value: origin,
    message: `"${origin}" is not a two-letter country code; the country of origin is left out.`,
    change: "Choose the country of origin from Shopify's list",
    source: "originCountry",
  });
}

export function createMetaAdapter(spec: MetaSpec = META_SPEC): ChannelAdapter {
  return createFlatAdapter({
    spec,
    label: "Meta (Facebook & Instagram)",
    formats: ["csv", "xml"],
    // Meta groups variants itself and shows their options: the product title stays clean.
    titleIncludesVariant: false,
    extend: extendMeta,
  });
}

export const META_ADAPTER: ChannelAdapter = createMetaAdapter();

import { Link } from "@shopify/polaris";
import { MAPPABLE_FIELDS } from "~/domain/channels/mapping/schema";
import type { FixTarget } from "~/domain/channels/types";
import { numericId } from "./format";

const FIELD_LABELS = new Map<string, string>(MAPPABLE_FIELDS.map((info) => [info.field, info.label]));

/**
 * Where a fix happens, as a link. Inside Shopify Admin, product fixes open Shopify's own product
 * editor (`shopify://admin/…`, which App Bridge navigates the admin to). The demo has no Shopify
 * behind it, so the same link opens the product's page in Shelfcast instead.
 */
export function fixTargetHref(target: FixTarget, embedded: boolean): string {
  switch (target.kind) {
    case "shopify-product":
      return embedded ? `shopify://admin/products/${numericId(target.productId)}` : `/app/products/${numericId(target.productId)}`;
    case "shopify-variant":
      return embedded
        ? `shopify://admin/products/${numericId(target.productId)}/variants/${numericId(target.variantId)}`
        : `/app/products/${numericId(target.productId)}`;
    case "mapping":
      return `/app/channels/${target.channel}/mapping?${new URLSearchParams({ field: target.field })}`;
    case "settings":
      return "/app/settings";
  }
}

export function fixTargetLabel(target: FixTarget, embedded: boolean): string {
  switch (target.kind) {
    case "shopify-product":
      return embedded ? "Edit the product in Shopify" : "Open the product";
    case "shopify-variant":
      return embedded ? "Edit the variant in Shopify" : "Open the product";
    case "mapping":
      return `Edit the ${(FIELD_LABELS.get(target.field) ?? target.field).toLowerCase()} mapping rule`;
    case "settings":
      return "Open channel settings";
  }
}

export function FixTargetLink({ target, embedded }: { target: FixTarget; embedded: boolean }) {
  return (
    <Link url={fixTargetHref(target, embedded)} removeUnderline>
      {fixTargetLabel(target, embedded)}
    </Link>
  );
}

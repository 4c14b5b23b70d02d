/**
 * The visitor's consent as the pixel tracks it: first from `init.customerPrivacy` (the state when the
 * page rendered), then from every `visitorConsentCollected` event (choices made on the page). Shopify's
 * "allowed" flags already fold in the merchant's settings and the visitor's region.
 */
import type { CustomerPrivacyPayload } from "@shopify/web-pixels-extension";
import type { ConsentPurpose } from "./plan";

export interface ConsentState {
  analytics: boolean;
  marketing: boolean;
  preferences: boolean;
  saleOfData: boolean;
}

export function consentFrom(privacy: CustomerPrivacyPayload["customerPrivacy"]): ConsentState {
  return {
    analytics: privacy.analyticsProcessingAllowed,
    marketing: privacy.marketingAllowed,
    preferences: privacy.preferencesProcessingAllowed,
    saleOfData: privacy.saleOfDataAllowed,
  };
}

const ALLOWED_BY: Record<ConsentPurpose, keyof ConsentState> = {
  analytics: "analytics",
  marketing: "marketing",
  preferences: "preferences",
  sale_of_data: "saleOfData",
};

/** Whether data for a platform gated on this purpose may leave the browser at all. */
export function purposeAllowed(consent: ConsentState, purpose: ConsentPurpose): boolean {
  return consent[ALLOWED_BY[purpose]];
}

/**
 * Meta Graph API coordinates shared by every Shelfcast call to Meta (Conversions API forwarding,
 * catalog publishing). One version for all, so an upgrade is one change.
 */
export const META_GRAPH_VERSION = "v21.0";
export const META_GRAPH_ORIGIN = "https://graph.facebook.com";

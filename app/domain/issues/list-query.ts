/**
 * The Feed issues page's URL vocabulary, shared by the server (which parses it) and the page
 * (which writes it): tabs, "first seen" windows and the keys that are filters.
 */
export const ISSUE_TABS = ["open", "grouped", "resolved"] as const;
export type IssueTab = (typeof ISSUE_TABS)[number];

export const FIRST_SEEN_WINDOWS = ["24h", "7d", "30d", "older"] as const;
export type FirstSeenWindow = (typeof FIRST_SEEN_WINDOWS)[number];

/** The URL keys that narrow the list (the tab and the page number aside). */
export const ISSUE_FILTER_KEYS = ["query", "channel", "severity", "code", "source", "vendor", "productType", "collection", "firstSeen"] as const;

import { z } from "zod";
import { CHANNEL_IDS, type FixTarget, type Severity } from "~/domain/channels/types";
import { isPublishChannel } from "~/domain/publishing/desired-state";
import { channelShortLabel, issueCodeLabel, ISSUE_SOURCES, sourceLabel, type IssueSource } from "~/domain/issues/labels";
import { FIRST_SEEN_WINDOWS, ISSUE_TABS, type IssueTab } from "~/domain/issues/list-query";
import { markItemsDue } from "../../repositories/channel-items";
import {
  collectionFacet,
  countIssues,
  groupIssues,
  issueFacets,
  listIssues,
  MAX_LISTED_ROWS,
  openIssueRecords,
  type IssueFilters,
  type IssueGroupKey,
  type ListedIssue,
} from "../../repositories/feed-issues";
import type { Runtime } from "../../runtime";
import { requestFeedBuild } from "../channel-feeds/request-feed-build";
import { requestCatalogPublish } from "../publishing/request-publish";
import { MAX_VALUES_PER_FILTER, urlEnumList, urlPageNumber, urlSearchText, urlValueList } from "../../http/url-state";

/**
 * The Feed issues page: every problem across channels in one list, a view grouped by problem with
 * bulk actions, and the resolved history. Its URL is its whole state (a filtered view is a link a
 * merchant can share), and it is typed by hand into address bars, so nothing in it is an error:
 * unknown values are dropped and a bad page number means page 1.
 */

export const ISSUES_PAGE_SIZE = 50;
const SEVERITIES = ["error", "warning"] as const satisfies readonly Severity[];

export const FeedIssuesQuerySchema = z.object({
  tab: z.enum(ISSUE_TABS).catch("open"),
  query: urlSearchText,
  channel: urlEnumList(CHANNEL_IDS),
  severity: urlEnumList(SEVERITIES),
  code: urlValueList,
  source: urlEnumList(ISSUE_SOURCES),
  vendor: urlValueList,
  productType: urlValueList,
  collection: urlValueList,
  firstSeen: z.enum(FIRST_SEEN_WINDOWS).nullable().catch(null),
  page: urlPageNumber,
});
export type FeedIssuesQuery = z.infer<typeof FeedIssuesQuerySchema>;

export function parseFeedIssuesQuery(searchParams: URLSearchParams): FeedIssuesQuery {
  return FeedIssuesQuerySchema.parse({
    tab: searchParams.get("tab") ?? "open",
    query: searchParams.get("query"),
    channel: searchParams.getAll("channel"),
    severity: searchParams.getAll("severity"),
    code: searchParams.getAll("code"),
    source: searchParams.getAll("source"),
    vendor: searchParams.getAll("vendor"),
    productType: searchParams.getAll("productType"),
    collection: searchParams.getAll("collection"),
    firstSeen: searchParams.get("firstSeen"),
    page: searchParams.get("page") ?? 1,
  });
}

const DAY_MS = 86_400_000;

/** The repository's filters for a parsed URL; "first seen" windows are relative to `now`. */
export function issueFiltersFor(query: FeedIssuesQuery, now: Date): IssueFilters {
  const ago = (days: number) => new Date(now.getTime() - days * DAY_MS);
  const window =
    query.firstSeen === "24h"
      ? { firstSeenFrom: ago(1) }
      : query.firstSeen === "7d"
        ? { firstSeenFrom: ago(7) }
        : query.firstSeen === "30d"
          ? { firstSeenFrom: ago(30) }
          : query.firstSeen === "older"
            ? { firstSeenBefore: ago(30) }
            : {};
  return {
    state: query.tab === "resolved" ? "resolved" : "open",
    query: query.query || undefined,
    channel: query.channel,
    severity: query.severity,
    code: query.code,
    source: query.source,
    vendor: query.vendor,
    productType: query.productType,
    collection: query.collection,
    ...window,
  };
}

/** One issue as the page shows it: plain data, dates as ISO strings. */
export interface IssueView {
  id: string;
  channel: string;
  channelLabel: string;
  market: string;
  source: IssueSource;
  sourceLabel: string;
  severity: Severity;
  code: string;
  codeLabel: string;
  field: string;
  message: string;
  fix: string;
  fixTarget: FixTarget;
  productId: string;
  productTitle: string;
  variantId: string | null;
  variantTitle: string | null;
  sku: string | null;
  itemId: string;
  firstSeenAt: string;
  resolvedAt: string | null;
  /** The product's timeline on its Shelfcast page. */
  timelineHref: string;
}

export interface IssueGroupView {
  /** channel|source|code: the key a bulk action sends back. */
  id: string;
  channel: string;
  channelLabel: string;
  source: IssueSource;
  sourceLabel: string;
  code: string;
  codeLabel: string;
  severity: Severity;
  items: number;
  field: string;
  example: string;
  fix: string;
  /** The channel's mapping editor, at the field when the fix is a mapping rule. */
  mappingHref: string;
  /** Meta's catalog and TikTok Shop take a re-publish; feed channels fetch the next build. */
  canRepublish: boolean;
}

export interface FeedIssuesPage {
  tab: IssueTab;
  filters: FeedIssuesQuery;
  rows: IssueView[];
  groups: IssueGroupView[];
  /** Matching issues, counted up to MAX_LISTED_ROWS. */
  total: number;
  totalCapped: boolean;
  page: number;
  pageCount: number;
  pageSize: number;
  facets: {
    channels: { value: string; label: string }[];
    sources: { value: string; label: string }[];
    codes: string[];
    vendors: string[];
    productTypes: string[];
    collections: string[];
  };
}

function numericId(gid: string): string {
  return gid.slice(gid.lastIndexOf("/") + 1);
}

function issueView(row: ListedIssue): IssueView {
  return {
    id: row.id,
    channel: row.channel,
    channelLabel: channelShortLabel(row.channel),
    market: row.market,
    source: row.source,
    sourceLabel: sourceLabel(row.source),
    severity: row.severity,
    code: row.code,
    codeLabel: issueCodeLabel(row.code),
    field: row.field,
    message: row.message,
    fix: row.fix,
    fixTarget: row.fixTarget,
    productId: row.productId,
    productTitle: row.productTitle,
    variantId: row.variantId,
    variantTitle: row.variantTitle,
    sku: row.sku,
    itemId: row.itemId,
    firstSeenAt: row.firstSeenAt.toISOString(),
    resolvedAt: row.resolvedAt ? row.resolvedAt.toISOString() : null,
    timelineHref: `/app/products/${numericId(row.productId)}?tab=timeline`,
  };
}

function groupKey(group: IssueGroupKey): string {
  return `${group.channel}|${group.source}|${group.code}`;
}

/** The page's data for one URL. One shop, one service call: the route stays thin. */
export async function loadFeedIssuesPage(runtime: Runtime, shop: string, searchParams: URLSearchParams, now: Date): Promise<FeedIssuesPage> {
  const sql = runtime.db.sql;
  const query = parseFeedIssuesQuery(searchParams);
  const filters = issueFiltersFor(query, now);
  const [facets, collections] = await Promise.all([issueFacets(sql, shop), collectionFacet(sql, shop)]);
  const facetView = {
    channels: CHANNEL_IDS.map((channel) => ({ value: channel, label: channelShortLabel(channel) })),
    sources: ISSUE_SOURCES.map((source) => ({ value: source, label: sourceLabel(source) })),
    // A value picked in the URL stays a choice even when no open issue has it any more.
    codes: mergeChoices(facets.codes, query.code),
    vendors: mergeChoices(facets.vendors, query.vendor),
    productTypes: mergeChoices(facets.productTypes, query.productType),
    collections: mergeChoices(collections, query.collection),
  };

  if (query.tab === "grouped") {
    const groups = await groupIssues(sql, shop, filters);
    const total = groups.reduce((sum, group) => sum + group.items, 0);
    return {
      tab: query.tab,
      filters: { ...query, page: 1 },
      rows: [],
      groups: groups.map((group) => ({
        id: groupKey(group),
        channel: group.channel,
        channelLabel: channelShortLabel(group.channel),
        source: group.source,
        sourceLabel: sourceLabel(group.source),
        code: group.code,
        codeLabel: issueCodeLabel(group.code),
        severity: group.severity,
        items: group.items,
        field: group.example.field,
        example: group.example.message,
        fix: group.example.fix,
        mappingHref:
          group.example.fixTarget.kind === "mapping"
            ? `/app/channels/${group.channel}/mapping?${new URLSearchParams({ field: group.example.fixTarget.field })}`
            : `/app/channels/${group.channel}/mapping`,
        canRepublish: isPublishChannel(group.channel),
      })),
      total,
      totalCapped: false,
      page: 1,
      pageCount: 1,
      pageSize: ISSUES_PAGE_SIZE,
      facets: facetView,
    };
  }

  const counted = await countIssues(sql, shop, filters);
  const pageCount = Math.max(1, Math.ceil(counted.count / ISSUES_PAGE_SIZE));
  // An old link (or a narrower filter) can point past the end; show the last page, not nothing.
  const page = Math.min(query.page, pageCount, Math.ceil(MAX_LISTED_ROWS / ISSUES_PAGE_SIZE));
  const rows = await listIssues(sql, shop, filters, { page, pageSize: ISSUES_PAGE_SIZE }, { matches: counted.count });
  return {
    tab: query.tab,
    filters: { ...query, page },
    rows: rows.map(issueView),
    groups: [],
    total: counted.count,
    totalCapped: counted.capped,
    page,
    pageCount,
    pageSize: ISSUES_PAGE_SIZE,
    facets: facetView,
  };
}

function mergeChoices(values: string[], selected: string[]): string[] {
  const missing = selected.filter((value) => !values.includes(value));
  return missing.length === 0 ? values : [...values, ...missing].sort();
}

// ---------------------------------------------------------------------------------------------
// Bulk actions of the grouped view

const GroupKeySchema = z.object({ channel: z.enum(CHANNEL_IDS), source: z.enum(ISSUE_SOURCES), code: z.string().min(1).max(200) });

export const IssueActionSchema = z.object({
  intent: z.enum(["revalidate", "republish"]),
  /** The groups the merchant selected, as JSON: [{channel, source, code}]. */
  groups: z
    .string()
    .max(100_000)
    .transform((text, ctx) => {
      try {
        return z.array(GroupKeySchema).max(MAX_VALUES_PER_FILTER).parse(JSON.parse(text));
      } catch {
        ctx.addIssue({ code: "custom", message: "groups: expected a list of {channel, source, code}" });
        return z.NEVER;
      }
    }),
  /** The list URL's query string: the same filters narrow the items acted on. */
  search: z.string().max(20_000).default(""),
});
export type IssueAction = z.infer<typeof IssueActionSchema>;

/** Records one re-publish may mark due: far more than any group, bounded so one click stays one statement. */
const MAX_REPUBLISH_RECORDS = 250_000;

export interface IssueActionResult {
  ok: boolean;
  message: string;
}

/**
 * "Re-validate": rebuild the feeds now (a problem fixed in the catalog leaves the list when the
 * build is published). "Re-publish": the selected groups' records on Meta's catalog or TikTok Shop
 * are sent again in full, then a publish of each affected catalog is asked for.
 */
export async function runIssueAction(runtime: Runtime, shop: string, action: IssueAction, now: Date): Promise<IssueActionResult> {
  if (action.intent === "revalidate") {
    await requestFeedBuild(runtime, shop, "re-validate from Feed issues", { immediately: true });
    return { ok: true, message: "Checking every item again: the list updates when the feeds are rebuilt" };
  }
  const groups = action.groups.filter((group) => isPublishChannel(group.channel));
  if (groups.length === 0) return { ok: false, message: "Re-publish applies to Meta and TikTok Shop problems; feed channels fetch the next build by themselves." };
  const { state: _state, ...filters } = issueFiltersFor(parseFeedIssuesQuery(new URLSearchParams(action.search)), now);
  const records = await openIssueRecords(runtime.db.sql, shop, filters, groups, MAX_REPUBLISH_RECORDS);
  const byCatalog = new Map<string, { channel: string; market: string; ids: Set<string> }>();
  for (const record of records) {
    const key = `${record.channel}|${record.market}`;
    const entry = byCatalog.get(key) ?? { channel: record.channel, market: record.market, ids: new Set<string>() };
    entry.ids.add(record.itemKey).add(record.itemId);
    byCatalog.set(key, entry);
  }
  let marked = 0;
  for (const { channel, market, ids } of byCatalog.values()) {
    const ref = { shop, channel, market };
    marked += await markItemsDue(runtime.db.sql, ref, [...ids]);
    await requestCatalogPublish(runtime, ref, "re-publish from Feed issues");
  }
  if (marked === 0) return { ok: false, message: "None of these items is on the channel yet; nothing to re-publish." };
  return { ok: true, message: marked === 1 ? "1 record will be sent again" : `${marked.toLocaleString("en-US")} records will be sent again` };
}

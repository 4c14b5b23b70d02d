import type { Diagnostic } from "~/domain/channels/types";
import type { SqlExecutor } from "../db/connection";
import type { CatalogRef } from "./channel-items";
import { toDiagnostic, type DiagnosticDbRow } from "./channel-feeds";
import { replaceChannelIssues } from "./feed-issues";

/**
 * Problems the channels themselves report, kept as feed issues whose source is the channel
 * (migration 0009 moved them from 0006's channel_verdict into feed_issue). Each answer about a
 * record replaces what was known about it: a problem still reported is refreshed, a new one opens,
 * one no longer reported is resolved and stays as history; each change is a product event.
 */
export async function replaceVerdicts(sql: SqlExecutor, ref: CatalogRef, verdicts: { key: string; diagnostics: Diagnostic[] }[], now: Date): Promise<void> {
  if (verdicts.length === 0) return;
  // One row per (item, code) in the whole answer: the upsert may touch each row once only.
  const incoming = new Map<string, { itemKey: string; diagnostic: Diagnostic }>();
  for (const { key, diagnostics } of verdicts) {
    for (const diagnostic of dedupe(diagnostics)) incoming.set(`${diagnostic.itemId}\u0000${diagnostic.code}`, { itemKey: key, diagnostic });
  }
  await replaceChannelIssues(sql, ref, channelSource(ref.channel), verdicts.map((verdict) => verdict.key), [...incoming.values()], now);
}

/** Who reports a channel's verdicts: the publishing channels are Meta's catalog and TikTok Shop. */
function channelSource(channel: string): "meta" | "tiktok" {
  return channel === "tiktok" ? "tiktok" : "meta";
}

/**
 * Each (item, code) once: a channel may report one code several times for one item (two audit
 * reasons, say); they become one verdict whose message and fix list every report.
 */
function dedupe(diagnostics: Diagnostic[]): Diagnostic[] {
  const merged = new Map<string, Diagnostic>();
  for (const diagnostic of diagnostics) {
    const key = `${diagnostic.itemId}\u0000${diagnostic.code}`;
    const earlier = merged.get(key);
    if (!earlier) {
      merged.set(key, diagnostic);
      continue;
    }
    const join = (a: string, b: string) => (a === b || a.includes(b) ? a : `${a}; ${b}`);
    merged.set(key, {
      ...earlier,
      severity: earlier.severity === "error" || diagnostic.severity === "error" ? "error" : "warning",
      message: join(earlier.message, diagnostic.message),
      fix: join(earlier.fix, diagnostic.fix),
    });
  }
  return [...merged.values()];
}

export interface VerdictRow extends Diagnostic {
  itemKey: string;
  firstSeenAt: Date;
  lastSeenAt: Date;
  resolvedAt: Date | null;
}

interface VerdictDbRow extends DiagnosticDbRow {
  source: string;
  item_key: string;
  first_seen_at: Date;
  last_seen_at: Date;
  resolved_at: Date | null;
}

function toVerdict(row: VerdictDbRow): VerdictRow {
  return {
    ...toDiagnostic(row),
    fixTarget: (typeof row.fix_target === "string" ? JSON.parse(row.fix_target) : row.fix_target) as Diagnostic["fixTarget"],
    source: channelSource(row.source),
    itemKey: row.item_key,
    firstSeenAt: row.first_seen_at,
    lastSeenAt: row.last_seen_at,
    resolvedAt: row.resolved_at,
  };
}

/** Open channel-reported problems, newest first, optionally for one channel or one product. */
export async function listOpenVerdicts(sql: SqlExecutor, shop: string, options: { channel?: string; productId?: string; limit: number }): Promise<VerdictRow[]> {
  const { rows } = await sql.query<VerdictDbRow>(
    `SELECT "channel", "market", "source", "item_key", "code", "item_id", "product_id", "variant_id", "severity", "field", "value", "message", "fix",
       "fix_target", "first_seen_at", "last_seen_at", "resolved_at"
     FROM "feed_issue"
     WHERE "shop" = $1 AND "source" <> 'shelfcast' AND "resolved_at" IS NULL AND ($2::text IS NULL OR "channel" = $2) AND ($3::text IS NULL OR "product_id" = $3)
     ORDER BY "last_seen_at" DESC, "item_key", "code" LIMIT $4`,
    [shop, options.channel ?? null, options.productId ?? null, options.limit],
  );
  return rows.map(toVerdict);
}

export async function countOpenVerdicts(sql: SqlExecutor, shop: string): Promise<{ channel: string; errors: number; warnings: number }[]> {
  const { rows } = await sql.query<{ channel: string; errors: number; warnings: number }>(
    `SELECT "channel", count(*) FILTER (WHERE "severity" = 'error')::int AS errors, count(*) FILTER (WHERE "severity" = 'warning')::int AS warnings
     FROM "feed_issue" WHERE "shop" = $1 AND "source" <> 'shelfcast' AND "resolved_at" IS NULL GROUP BY "channel" ORDER BY "channel"`,
    [shop],
  );
  return rows;
}

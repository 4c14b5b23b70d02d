import type { Diagnostic } from "~/domain/channels/types";
import type { SqlExecutor } from "../db/connection";
import type { CatalogRef } from "./channel-items";

/**
 * Problems the channels themselves report (migration 0006, channel_verdict). Each answer about a
 * record replaces what was known about it: a problem still reported is refreshed, a new one opens,
 * one no longer reported is resolved and stays as history.
 */
export async function replaceVerdicts(sql: SqlExecutor, ref: CatalogRef, verdicts: { key: string; diagnostics: Diagnostic[] }[], now: Date): Promise<void> {
  if (verdicts.length === 0) return;
  const rows = verdicts.flatMap(({ key, diagnostics }) =>
    dedupe(diagnostics).map((d) => ({
      item_key: key,
      code: d.code,
      item_id: d.itemId,
      product_id: d.productId,
      variant_id: d.variantId,
      severity: d.severity,
      field: d.field,
      value: d.value,
      message: d.message,
      fix: d.fix,
      fix_target: d.fixTarget,
    })),
  );
  const keys = verdicts.map((verdict) => verdict.key);
  await sql.query(
    `WITH incoming AS (
       SELECT * FROM jsonb_to_recordset($5::jsonb) AS r(item_key text, code text, item_id text, product_id text, variant_id text, severity text,
         field text, value text, message text, fix text, fix_target jsonb)
     ), resolved AS (
       UPDATE "channel_verdict" AS v SET "resolved_at" = $6
       WHERE v."shop" = $1 AND v."channel" = $2 AND v."market" = $3 AND v."item_key" = ANY($4::text[]) AND v."resolved_at" IS NULL
         AND NOT EXISTS (SELECT 1 FROM incoming i WHERE i.item_key = v."item_key" AND i.item_id = v."item_id" AND i.code = v."code")
       RETURNING 1
     )
     INSERT INTO "channel_verdict" ("shop", "channel", "market", "item_key", "code", "item_id", "product_id", "variant_id", "severity", "field", "value",
       "message", "fix", "fix_target", "first_seen_at", "last_seen_at", "resolved_at")
     SELECT $1, $2, $3, i.item_key, i.code, i.item_id, i.product_id, i.variant_id, i.severity, i.field, i.value, i.message, i.fix, i.fix_target, $6, $6, NULL
     FROM incoming i
     ON CONFLICT ("shop", "channel", "market", "item_key", "item_id", "code") DO UPDATE SET
       "severity" = EXCLUDED."severity", "field" = EXCLUDED."field", "value" = EXCLUDED."value", "message" = EXCLUDED."message", "fix" = EXCLUDED."fix",
       "fix_target" = EXCLUDED."fix_target", "last_seen_at" = EXCLUDED."last_seen_at",
       -- A problem that comes back after being resolved opens again, as new.
       "first_seen_at" = CASE WHEN "channel_verdict"."resolved_at" IS NULL THEN "channel_verdict"."first_seen_at" ELSE EXCLUDED."first_seen_at" END,
       "resolved_at" = NULL`,
    [ref.shop, ref.channel, ref.market, keys, JSON.stringify(rows), now],
  );
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

interface VerdictDbRow {
  channel: string;
  market: string;
  item_key: string;
  code: string;
  item_id: string;
  product_id: string;
  variant_id: string | null;
  severity: string;
  field: string;
  value: string | null;
  message: string;
  fix: string;
  fix_target: unknown;
  first_seen_at: Date;
  last_seen_at: Date;
  resolved_at: Date | null;
}

function toVerdict(row: VerdictDbRow): VerdictRow {
  return {
    code: row.code,
    severity: row.severity as Diagnostic["severity"],
    channel: row.channel as Diagnostic["channel"],
    market: row.market,
    itemId: row.item_id,
    productId: row.product_id,
    variantId: row.variant_id,
    field: row.field,
    value: row.value,
    message: row.message,
    fix: row.fix,
    fixTarget: (typeof row.fix_target === "string" ? JSON.parse(row.fix_target) : row.fix_target) as Diagnostic["fixTarget"],
    source: row.channel === "tiktok" ? "tiktok" : "meta",
    itemKey: row.item_key,
    firstSeenAt: row.first_seen_at,
    lastSeenAt: row.last_seen_at,
    resolvedAt: row.resolved_at,
  };
}

/** Open channel-reported problems, newest first, optionally for one channel or one product. */
export async function listOpenVerdicts(sql: SqlExecutor, shop: string, options: { channel?: string; productId?: string; limit: number }): Promise<VerdictRow[]> {
  const { rows } = await sql.query<VerdictDbRow>(
    `SELECT * FROM "channel_verdict"
     WHERE "shop" = $1 AND "resolved_at" IS NULL AND ($2::text IS NULL OR "channel" = $2) AND ($3::text IS NULL OR "product_id" = $3)
     ORDER BY "last_seen_at" DESC, "item_key", "code" LIMIT $4`,
    [shop, options.channel ?? null, options.productId ?? null, options.limit],
  );
  return rows.map(toVerdict);
}

export async function countOpenVerdicts(sql: SqlExecutor, shop: string): Promise<{ channel: string; errors: number; warnings: number }[]> {
  const { rows } = await sql.query<{ channel: string; errors: number; warnings: number }>(
    `SELECT "channel", count(*) FILTER (WHERE "severity" = 'error')::int AS errors, count(*) FILTER (WHERE "severity" = 'warning')::int AS warnings
     FROM "channel_verdict" WHERE "shop" = $1 AND "resolved_at" IS NULL GROUP BY "channel" ORDER BY "channel"`,
    [shop],
  );
  return rows;
}

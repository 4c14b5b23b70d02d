import type { SqlExecutor } from "../db/connection";

/**
 * Staged JSONL of one full sync (table catalog_sync_block, migration 0010). Staging makes a sync
 * resumable (lines are durable, with a checkpoint) and keeps memory bounded: products are assembled
 * a chunk at a time, whatever order Shopify wrote their lines in.
 *
 * Lines are stored in blocks: the lines of one staging batch that share a root. A product's lines
 * usually come together (its main-query lines, later its relations lines), so a product is about
 * two blocks instead of thirty-five rows: that is what makes staging and reading back cheap
 * (docs/decisions/0016-ingest-speed.md).
 */

/** One JSONL line as staging reads it: its number in the sync, its identity, and its text. */
export interface StagedLine {
  lineNo: number;
  gid: string;
  parentGid: string | null;
  text: string;
}

/** Lines of one batch that share a root, ready to insert. */
export interface StagedBlock {
  firstLine: number;
  /** A product, a selling plan group, or a variant whose product was not known when staged. */
  rootGid: string;
  /** The block holds the root's own line (a product line, or the id-only line of the relations query). */
  holdsRoot: boolean;
  /** "<line number>\t<line>" per line, joined by "\n". */
  lines: string;
}

export interface BlockLine {
  lineNo: number;
  text: string;
}

const PRODUCT = "gid://shopify/Product/";
const VARIANT = "gid://shopify/ProductVariant/";
const SELLING_PLAN = "gid://shopify/SellingPlan/";

/**
 * A map that remembers at least the last `generation` entries and at most twice that: staging
 * needs recent variants (children follow their variant closely) without holding every variant of
 * a catalog of any size.
 */
function createRecentMap<V>(generation: number) {
  let current = new Map<string, V>();
  let previous = new Map<string, V>();
  return {
    get: (key: string): V | undefined => current.get(key) ?? previous.get(key),
    has: (key: string): boolean => current.has(key) || previous.has(key),
    set(key: string, value: V): void {
      if (current.size >= generation) {
        previous = current;
        current = new Map();
      }
      current.set(key, value);
    },
  };
}

const REMEMBERED_VARIANTS = 5_000;
const REMEMBERED_PLANS = 5_000;

/**
 * Collects staged lines into blocks, batch by batch. Each line's root: a product is its own root;
 * a direct child's root is its parent; a line under a variant belongs to that variant's product
 * when the variant came earlier (or later in the same batch), and otherwise to the variant itself
 * until the apply phase claims the block for the variant's product; a selling plan belongs to its
 * group, which several products share, and is staged once (Shopify repeats it under every product
 * the group applies to; a repeat after a restart is harmless, the apply phase keeps the first).
 */
export function createBlockStager() {
  const productOfVariant = createRecentMap<string>(REMEMBERED_VARIANTS);
  const stagedPlans = createRecentMap<true>(REMEMBERED_PLANS);
  let batch: { lineNo: number; root: string; holdsRoot: boolean; text: string }[] = [];
  let variants = 0;

  function rootOf(gid: string, parentGid: string | null): string {
    if (parentGid === null) return gid;
    if (parentGid.startsWith(PRODUCT)) {
      if (gid.startsWith(VARIANT)) productOfVariant.set(gid, parentGid);
      return parentGid;
    }
    if (parentGid.startsWith(VARIANT)) return productOfVariant.get(parentGid) ?? parentGid;
    return parentGid; // a selling plan group, or a parent kind nothing claims (reported as an orphan)
  }

  return {
    /** Adds a line to the current batch (or skips a selling plan already staged). */
    add(line: StagedLine): void {
      if (line.gid.startsWith(SELLING_PLAN) && line.parentGid !== null) {
        if (stagedPlans.has(line.gid)) return;
        stagedPlans.set(line.gid, true);
      }
      if (line.gid.startsWith(VARIANT)) variants += 1;
      const root = rootOf(line.gid, line.parentGid);
      batch.push({ lineNo: line.lineNo, root, holdsRoot: line.parentGid === null && root === line.gid, text: line.text });
    },
    /** Lines added since the last take. */
    get size(): number {
      return batch.length;
    },
    /** The batch as blocks (and how many variant lines it held); the stager starts a new batch. */
    take(): { blocks: StagedBlock[]; variants: number } {
      const blocks = new Map<string, StagedBlock>();
      for (const line of batch) {
        // A variant that came later in the batch than its children gives them its product.
        const root = line.root.startsWith(VARIANT) ? (productOfVariant.get(line.root) ?? line.root) : line.root;
        const numbered = `${line.lineNo}\t${line.text}`;
        const block = blocks.get(root);
        if (block === undefined) blocks.set(root, { firstLine: line.lineNo, rootGid: root, holdsRoot: line.holdsRoot, lines: numbered });
        else {
          block.lines += `\n${numbered}`;
          block.holdsRoot ||= line.holdsRoot;
        }
      }
      const taken = { blocks: [...blocks.values()], variants };
      batch = [];
      variants = 0;
      return taken;
    },
  };
}

/** The lines of a block in the order they were staged (file order). */
export function blockLines(lines: string): BlockLine[] {
  return lines.split("\n").map((numbered) => {
    const tab = numbered.indexOf("\t");
    return { lineNo: Number(numbered.slice(0, tab)), text: numbered.slice(tab + 1) };
  });
}

/**
 * Inserts a batch's blocks; re-staging a block already stored (a batch committed just before a
 * crash is never staged again, but a duplicate step must not fail) is a no-op. One JSON parameter.
 */
export async function stageBlocks(tx: SqlExecutor, shop: string, syncId: string, blocks: StagedBlock[]): Promise<void> {
  if (blocks.length === 0) return;
  await tx.query(
    `INSERT INTO "catalog_sync_block" ("shop", "sync_id", "first_line", "root_gid", "holds_root", "lines")
     SELECT $1, $2::uuid, b."firstLine", b."rootGid", b."holdsRoot", b."lines"
     FROM json_to_recordset($3::json) AS b("firstLine" int, "rootGid" text, "holdsRoot" boolean, "lines" text)
     ON CONFLICT ("sync_id", "first_line") DO NOTHING`,
    [shop, syncId, JSON.stringify(blocks)],
  );
}

/**
 * The next chunk of products after `after` in GID order (the apply phase's checkpoint): the
 * products that have their own line, with every block rooted at them.
 */
export async function nextProductBlocks(
  sql: SqlExecutor,
  syncId: string,
  after: string | null,
  limit: number,
): Promise<{ productGids: string[]; blocks: { rootGid: string; lines: string }[] }> {
  const { rows } = await sql.query<{ root_gid: string; lines: string }>(
    `WITH chunk AS (
       SELECT DISTINCT "root_gid" FROM "catalog_sync_block"
       WHERE "sync_id" = $1 AND "holds_root" AND "root_gid" LIKE '${PRODUCT}%' AND ($2::text IS NULL OR "root_gid" > $2)
       ORDER BY "root_gid" LIMIT $3
     )
     SELECT block."root_gid", block."lines" FROM "catalog_sync_block" AS block JOIN chunk USING ("root_gid")
     WHERE block."sync_id" = $1`,
    [syncId, after, limit],
  );
  const productGids = [...new Set(rows.map((row) => row.root_gid))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return { productGids, blocks: rows.map((row) => ({ rootGid: row.root_gid, lines: row.lines })) };
}

/** Every block rooted at one of `roots` (selling plan groups, or variants a chunk claims). */
export async function blocksOfRoots(sql: SqlExecutor, syncId: string, roots: string[]): Promise<{ rootGid: string; lines: string }[]> {
  if (roots.length === 0) return [];
  const { rows } = await sql.query<{ root_gid: string; lines: string }>(
    `SELECT "root_gid", "lines" FROM "catalog_sync_block" WHERE "sync_id" = $1 AND "root_gid" = ANY($2::text[])`,
    [syncId, roots],
  );
  return rows.map((row) => ({ rootGid: row.root_gid, lines: row.lines }));
}

/** Variants with lines staged before them (usually none): their products claim them in the apply phase. */
export async function pendingVariantRoots(sql: SqlExecutor, syncId: string): Promise<Set<string>> {
  const { rows } = await sql.query<{ root_gid: string }>(
    `SELECT DISTINCT "root_gid" FROM "catalog_sync_block" WHERE "sync_id" = $1 AND "root_gid" LIKE '${VARIANT}%'`,
    [syncId],
  );
  return new Set(rows.map((row) => row.root_gid));
}

/** Removes claimed blocks, in the transaction that writes the products that claimed them. */
export async function deleteBlocksOfRoots(tx: SqlExecutor, syncId: string, roots: string[]): Promise<void> {
  if (roots.length > 0) await tx.query(`DELETE FROM "catalog_sync_block" WHERE "sync_id" = $1 AND "root_gid" = ANY($2::text[])`, [syncId, roots]);
}

/**
 * The first `limit` lines, in line order, that no product took: under a variant no product claimed,
 * under a parent of a kind nothing claims, or under a product whose own line never came. Read once,
 * after the last chunk. Top-level lines (no parent) are not orphans and are left for the caller to
 * filter out with `isTopLevel`.
 */
export async function unclaimedLines(sql: SqlExecutor, syncId: string, limit: number, isTopLevel: (line: BlockLine) => boolean): Promise<BlockLine[]> {
  const found: BlockLine[] = [];
  const PAGE = 100;
  for (let afterFirstLine = 0; ; ) {
    const { rows } = await sql.query<{ first_line: number; lines: string }>(
      `SELECT "first_line", "lines" FROM "catalog_sync_block" AS block
       WHERE block."sync_id" = $1 AND block."first_line" > $2
         AND ((block."root_gid" NOT LIKE '${PRODUCT}%' AND block."root_gid" NOT LIKE 'gid://shopify/SellingPlanGroup/%')
           OR (block."root_gid" LIKE '${PRODUCT}%' AND NOT EXISTS (
             SELECT 1 FROM "catalog_sync_block" AS product
             WHERE product."sync_id" = $1 AND product."holds_root" AND product."root_gid" = block."root_gid")))
       ORDER BY block."first_line" LIMIT $3`,
      [syncId, afterFirstLine, PAGE],
    );
    for (const row of rows) found.push(...blockLines(row.lines).filter((line) => !isTopLevel(line)));
    found.sort((a, b) => a.lineNo - b.lineNo);
    const last = rows[rows.length - 1];
    // A block holds no line before its first: once `limit` lines are found below the next block's
    // first line, no later block can hold an earlier one.
    if (!last || rows.length < PAGE || (found.length >= limit && found[limit - 1]!.lineNo < last.first_line)) break;
    afterFirstLine = last.first_line;
  }
  return found.slice(0, limit);
}

export async function clearStaging(sql: SqlExecutor, syncId: string): Promise<void> {
  await sql.query(`DELETE FROM "catalog_sync_block" WHERE "sync_id" = $1`, [syncId]);
}

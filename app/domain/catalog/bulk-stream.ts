import {
  addBulkLine,
  buildBulkProducts,
  createBulkBuildState,
  createBulkLineStore,
  isBulkParentKind,
  isSkippedBulkKind,
  problemsInLineOrder,
  readBulkLine,
  type BulkCatalogAssemblerOptions,
  type BulkLine,
  type BulkLineStore,
  type BulkProblem,
} from "./bulk-jsonl";
import type { Gid, Product } from "./types";

/**
 * Streams bulk-operation JSONL into Products one product at a time, for files grouped by product: all
 * lines of a product (its own line, media, variants and their inventory levels and metafields, product
 * metafields, collections, selling plan groups and plans) come together, in any order within the group,
 * before the next product's group. That is how one combined export is laid out, and what
 * `generateCatalogJsonl({ relations: "inline" })` writes.
 *
 * A product is complete when the top-level line of a DIFFERENT product arrives (or at `finish`). Until
 * then its lines are collected exactly as the whole-file assembler (bulk-jsonl.ts) collects them, and it
 * is then built by the same code, so for grouped input the products and problems are identical to
 * `createBulkCatalogAssembler`'s. Memory is the largest product's lines, plus lines that arrived before
 * their parent and are still waiting for it, plus the id of every product already returned.
 *
 * Children may precede their parents: a line whose parent is a Product belongs to that product even if
 * its line has not come yet; a line whose parent is a variant or a selling plan group not seen yet
 * waits (by parent id) until the parent arrives and takes it into its product. Only those kinds are
 * remembered as parents, so a line under any other kind waits for good.
 *
 * The layout cannot be known in advance: two bulk downloads concatenated (the main query's output,
 * then the relations query's, as Shopify delivers them and as the demo generator writes by default)
 * repeat every product at the end. A line whose product was already returned therefore throws
 * BulkNotGroupedError; so does `finish` when lines are left waiting for a parent that never came (it
 * may have been in a product already returned). Callers then read the file with the whole-file
 * assembler instead. To know before returning any product, run `createBulkGroupingCheck` over the
 * file first: it applies the same rules to the lines' ids alone (read-catalog-file.ts does this).
 *
 * Selling plan groups are shared by many products and built once per file (as the whole-file
 * assembler does), from the group's lines in the first product that lists it.
 */

/** The file's lines are not grouped by product; read it with the whole-file assembler. */
export class BulkNotGroupedError extends Error {
  readonly lineNumber: number;
  /** The GID of the line that gave the layout away. */
  readonly lineId: Gid;
  /** What is wrong with that line, without the line number. */
  readonly reason: string;

  constructor(lineNumber: number, lineId: Gid, reason: string) {
    super(`line ${lineNumber}: ${reason}; the file is not grouped by product, so it must be read whole`);
    this.name = "BulkNotGroupedError";
    this.lineNumber = lineNumber;
    this.lineId = lineId;
    this.reason = reason;
  }
}

export interface StreamingBulkAssembler {
  /** Returns the products this line completed (usually none, at most a few). Throws BulkJsonlError or BulkNotGroupedError. */
  push(line: string, lineNumber: number): Product[];
  /** The products still open, and every problem of the file in line order. Throws BulkNotGroupedError. */
  finish(): { products: Product[]; problems: BulkProblem[] };
}

/** A line's identity: all the grouping rules look at. */
export type BulkLineIdentity = Pick<BulkLine, "id" | "kind" | "parentId">;

export interface BulkGroupingCheck {
  /** Throws BulkNotGroupedError at the first line that shows the file is not grouped by product. */
  push(line: BulkLineIdentity, lineNumber: number): void;
  /** Throws BulkNotGroupedError when lines are left waiting for a parent that never came. */
  finish(): void;
}

const PRODUCT_GID_PREFIX = "gid://shopify/Product/";
/** What most pushes return; shared, so reading a line allocates no array. */
const NONE_COMPLETED: Product[] = Object.freeze([]) as unknown as Product[];

interface WaitingLine<L> {
  line: L;
  lineNumber: number;
}

/** Where the segmenter puts lines: one payload per product (its lines as a store, or nothing for the check). */
interface ProductSink<L, P> {
  create(): P;
  add(payload: P, line: L, lineNumber: number): void;
  complete(payload: P): void;
  /** A top-level line that is not a product. */
  stray(line: L, lineNumber: number): void;
}

interface OpenProduct<P> {
  payload: P;
  /** Ids of its lines that may have children (variants, selling plan groups): where grandchildren go. */
  parents: Set<Gid>;
}

interface Segmenter<L> {
  place(line: L, lineNumber: number): void;
  finish(): void;
}

/**
 * Splits the lines by product and completes each product when another product's own line arrives.
 * The grouping rules live here only, shared by the assembler and the check.
 */
function createSegmenter<L extends BulkLineIdentity, P>(sink: ProductSink<L, P>): Segmenter<L> {
  /** The product whose top-level line came last: lines of other products complete it. */
  let current: Gid | null = null;
  /** Products not complete yet, by id: the current one, and any whose children came early. */
  const open = new Map<Gid, OpenProduct<P>>();
  /** Which open product holds a parent line (variant, selling plan group). */
  const productOfParent = new Map<Gid, Gid>();
  /** Lines whose parent has not come yet, by parent id. */
  const waiting = new Map<Gid, WaitingLine<L>[]>();
  const completed = new Set<Gid>();
  /**
   * Where the last child line went. Siblings usually follow each other (a variant's inventory levels),
   * and until a product completes or another parent line arrives they go to the same place.
   */
  let lastParentId: Gid | null = null;
  let lastPayload: P | null = null;

  function productOwning(parentId: Gid): Gid | null {
    if (parentId.startsWith(PRODUCT_GID_PREFIX)) return parentId;
    // A selling plan group is listed under every product it applies to: the current product's copy first.
    if (current !== null && open.get(current)?.parents.has(parentId)) return current;
    return productOfParent.get(parentId) ?? null;
  }

  function addToProduct(productId: Gid, line: L, lineNumber: number): void {
    if (productId !== current && completed.has(productId)) {
      throw new BulkNotGroupedError(lineNumber, line.id, `${line.kind} ${line.id} belongs to product ${productId}, whose lines had already ended`);
    }
    let product = open.get(productId);
    if (!product) {
      product = { payload: sink.create(), parents: new Set() };
      open.set(productId, product);
    }
    sink.add(product.payload, line, lineNumber);
    if (!isBulkParentKind(line.kind)) {
      lastParentId = line.parentId;
      lastPayload = product.payload;
      return;
    }
    lastParentId = null;
    product.parents.add(line.id);
    productOfParent.set(line.id, productId);
    const children = waiting.get(line.id);
    if (!children) return;
    waiting.delete(line.id);
    for (const child of children) addToProduct(productId, child.line, child.lineNumber);
  }

  function wait(line: L, parentId: Gid, lineNumber: number): void {
    const siblings = waiting.get(parentId);
    if (siblings) siblings.push({ line, lineNumber });
    else waiting.set(parentId, [{ line, lineNumber }]);
  }

  function complete(productId: Gid): void {
    lastParentId = null;
    const product = open.get(productId);
    open.delete(productId);
    completed.add(productId);
    if (!product) return;
    for (const id of product.parents) if (productOfParent.get(id) === productId) productOfParent.delete(id);
    sink.complete(product.payload);
  }

  function place(line: L, lineNumber: number): void {
    if (line.parentId !== null && line.parentId === lastParentId && lastPayload !== null && !isBulkParentKind(line.kind)) {
      sink.add(lastPayload, line, lineNumber);
      return;
    }
    if (line.parentId !== null) {
      const productId = productOwning(line.parentId);
      if (productId !== null) addToProduct(productId, line, lineNumber);
      else wait(line, line.parentId, lineNumber);
      return;
    }
    if (line.kind !== "Product") {
      sink.stray(line, lineNumber);
      return;
    }
    if (line.id !== current) {
      if (completed.has(line.id)) {
        throw new BulkNotGroupedError(lineNumber, line.id, `product ${line.id} appears again after other products`);
      }
      if (current !== null) complete(current);
      current = line.id;
    }
    addToProduct(line.id, line, lineNumber);
  }

  function finish(): void {
    const first = firstWaitingLine(waiting);
    if (first) {
      const { line, lineNumber } = first;
      throw new BulkNotGroupedError(lineNumber, line.id, `${line.kind} ${line.id} names parent ${line.parentId}, which is in no product still being read`);
    }
    if (current !== null) complete(current);
    current = null;
    // Products whose own line never came: building them reports their lines, as the whole-file assembler does.
    for (const productId of [...open.keys()]) complete(productId);
  }

  return { place, finish };
}

function firstWaitingLine<L>(waiting: Map<Gid, WaitingLine<L>[]>): WaitingLine<L> | null {
  let first: WaitingLine<L> | null = null;
  for (const lines of waiting.values()) {
    for (const candidate of lines) if (first === null || candidate.lineNumber < first.lineNumber) first = candidate;
  }
  return first;
}

export function createStreamingBulkAssembler(options: BulkCatalogAssemblerOptions = {}): StreamingBulkAssembler {
  const state = createBulkBuildState(options);
  const strays = createBulkLineStore();
  let completedProducts: Product[] = [];
  const segmenter = createSegmenter<BulkLine, BulkLineStore>({
    create: createBulkLineStore,
    add: addBulkLine,
    complete: (store) => completedProducts.push(...buildBulkProducts(store, state)),
    stray: (line, lineNumber) => addBulkLine(strays, line, lineNumber),
  });

  function takeCompleted(): Product[] {
    const products = completedProducts;
    completedProducts = [];
    return products;
  }

  function push(line: string, lineNumber: number): Product[] {
    const parsed = readBulkLine(line, lineNumber);
    if (parsed) segmenter.place(parsed, lineNumber);
    return completedProducts.length === 0 ? NONE_COMPLETED : takeCompleted();
  }

  function finish(): { products: Product[]; problems: BulkProblem[] } {
    segmenter.finish();
    // Top-level lines that are not products: reported, as the whole-file assembler does.
    if (strays.nodes.size > 0) buildBulkProducts(strays, state);
    return { products: takeCompleted(), problems: problemsInLineOrder(state) };
  }

  return { push, finish };
}

/** Applies the streaming assembler's grouping rules to line identities only, building nothing. */
export function createBulkGroupingCheck(): BulkGroupingCheck {
  const segmenter = createSegmenter<BulkLineIdentity, null>({ create: () => null, add: () => {}, complete: () => {}, stray: () => {} });
  return {
    push(line, lineNumber) {
      if (!isSkippedBulkKind(line.kind)) segmenter.place(line, lineNumber);
    },
    finish: () => segmenter.finish(),
  };
}

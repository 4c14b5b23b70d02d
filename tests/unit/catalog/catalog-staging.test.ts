import { describe, expect, it } from "vitest";
import { blockLines, createBlockStager, type StagedLine } from "../../../app/.server/repositories/catalog-staging";

const P1 = "gid://shopify/Product/1";
const P2 = "gid://shopify/Product/2";
const V1 = "gid://shopify/ProductVariant/11";
const V2 = "gid://shopify/ProductVariant/21";
const GROUP = "gid://shopify/SellingPlanGroup/7";
const PLAN = "gid://shopify/SellingPlan/70";

let next = 0;
function line(gid: string, parentGid: string | null): StagedLine {
  next += 1;
  return { lineNo: next, gid, parentGid, text: JSON.stringify({ id: gid, ...(parentGid ? { __parentId: parentGid } : {}) }) };
}

describe("createBlockStager", () => {
  it("groups a batch's lines by the product they belong to, in file order, and counts the variants", () => {
    next = 0;
    const stager = createBlockStager();
    for (const staged of [line(P1, null), line(V1, P1), line("gid://shopify/InventoryLevel/1", V1), line(P2, null), line("gid://shopify/MediaImage/3", P1)]) stager.add(staged);
    const { blocks, variants } = stager.take();
    expect(variants).toBe(1);
    expect(blocks.map((block) => ({ root: block.rootGid, holds: block.holdsRoot, lines: blockLines(block.lines).map((l) => l.lineNo) }))).toEqual([
      { root: P1, holds: true, lines: [1, 2, 3, 5] },
      { root: P2, holds: true, lines: [4] },
    ]);
    expect(stager.size).toBe(0);
  });

  it("gives a line that came before its variant the variant's product when the variant comes later in the batch", () => {
    next = 0;
    const stager = createBlockStager();
    stager.add(line("gid://shopify/Metafield/1", V1));
    stager.add(line(V1, P1));
    expect(stager.take().blocks.map((block) => block.rootGid)).toEqual([P1]);
  });

  it("stages a line whose variant has not come yet under the variant, for the apply phase to claim", () => {
    next = 0;
    const stager = createBlockStager();
    stager.add(line("gid://shopify/InventoryLevel/9", V2));
    const first = stager.take().blocks;
    expect(first).toEqual([expect.objectContaining({ rootGid: V2, holdsRoot: false })]);
    // The variant comes in a later batch: it belongs to its product; the earlier block stays under the variant.
    stager.add(line(V2, P2));
    expect(stager.take().blocks.map((block) => block.rootGid)).toEqual([P2]);
  });

  it("stages each selling plan once, under its group, however many products repeat it", () => {
    next = 0;
    const stager = createBlockStager();
    for (const product of [P1, P2]) {
      stager.add(line(GROUP, product));
      stager.add(line(PLAN, GROUP));
    }
    const { blocks } = stager.take();
    const plans = blocks.filter((block) => block.rootGid === GROUP).flatMap((block) => blockLines(block.lines));
    expect(plans.map((l) => l.lineNo)).toEqual([2]);
    expect(blocks.filter((block) => block.rootGid === P1 || block.rootGid === P2)).toHaveLength(2);
  });
});

describe("blockLines", () => {
  it("reads back each line with its number, tabs inside a line included", () => {
    expect(blockLines('4\t{"id":"a"}\n17\t{"id":"b",\t"x":1}')).toEqual([
      { lineNo: 4, text: '{"id":"a"}' },
      { lineNo: 17, text: '{"id":"b",\t"x":1}' },
    ]);
  });
});

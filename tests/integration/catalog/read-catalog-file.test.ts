import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import {
  CatalogFileError,
  readCatalogFile,
  type CatalogFile,
  type CatalogReadProgress,
  type ReadCatalogFileOptions,
} from "~/.server/services/catalog-files/read-catalog-file";
import { generateCatalogJsonl } from "~/demo/generate-catalog";
import { createBulkCatalogAssembler } from "~/domain/catalog/bulk-jsonl";
import { normalizeRestProduct } from "~/domain/catalog/rest-product";
import { parseShopifyProductCsv } from "~/domain/catalog/shopify-csv";
import type { Product } from "~/domain/catalog/types";

const REAL_PRODUCTS = path.resolve(__dirname, "../../../../shared/data/real-products");
const PRODUCTS_JSON = readFileSync(path.resolve(__dirname, "../../fixtures/products-export.json"), "utf8");
const dir = mkdtempSync(path.join(tmpdir(), "shelfcast-read-catalog-"));
const NOW = "2026-11-22T00:00:00Z";
/** Big enough to span several 1 MB read chunks. */
const PRODUCTS = 300;

function write(name: string, content: string | Buffer): string {
  const file = path.join(dir, name);
  writeFileSync(file, content);
  return file;
}

function generated(relations: "inline" | "separate"): string[] {
  return [...generateCatalogJsonl({ seed: 5, products: PRODUCTS, now: NOW, relations })];
}

function assembleWhole(lines: string[]): Product[] {
  const assembler = createBulkCatalogAssembler({ shopCurrency: "EUR" });
  lines.forEach((line, index) => assembler.push(line, index + 1));
  return assembler.finish().products;
}

async function collect(file: CatalogFile): Promise<Product[]> {
  const products: Product[] = [];
  for await (const product of file.products) products.push(product);
  return products;
}

async function readAll(filePath: string, options: ReadCatalogFileOptions = {}) {
  const progress: CatalogReadProgress[] = [];
  const notices: string[] = [];
  const file = await readCatalogFile(filePath, { shopCurrency: "EUR", onProgress: (event) => progress.push(event), onNotice: (message) => notices.push(message), ...options });
  const products = await collect(file);
  return { file, products, progress, notices };
}

async function readError(filePath: string): Promise<CatalogFileError> {
  try {
    await collect(await readCatalogFile(filePath));
  } catch (error) {
    if (error instanceof CatalogFileError) return error;
    throw error;
  }
  throw new Error(`expected ${filePath} to be unreadable`);
}

describe("readCatalogFile on bulk JSONL", () => {
  const inlineLines = generated("inline");
  const separateLines = generated("separate");
  const expected = assembleWhole(inlineLines);
  const inlineFile = write("inline.jsonl", `${inlineLines.join("\n")}\n`);
  const separateFile = write("separate.jsonl", `${separateLines.join("\n")}\n`);

  it("streams a file grouped by product: a first pass checks the ids, the second hands out products as they complete", async () => {
    const progress: CatalogReadProgress[] = [];
    const file = await readCatalogFile(inlineFile, { shopCurrency: "EUR", onProgress: (event) => progress.push(event) });
    expect(file.format).toBe("bulk-jsonl");
    const products: Product[] = [];
    let bytesReadAtFirstProduct = -1;
    for await (const product of file.products) {
      if (products.length === 0) bytesReadAtFirstProduct = progress.filter((event) => event.phase === "reading").at(-1)?.bytesRead ?? 0;
      products.push(product);
    }
    expect(file.assembly()).toBe("streaming");
    expect(products).toEqual(expected);
    expect(file.problems()).toEqual([]);

    const size = readFileSync(inlineFile).length;
    const checking = progress.filter((event) => event.phase === "checking");
    const reading = progress.filter((event) => event.phase === "reading");
    expect(progress.indexOf(checking.at(-1) as CatalogReadProgress)).toBeLessThan(progress.indexOf(reading[0] as CatalogReadProgress));
    expect(checking.at(-1)).toEqual({ phase: "checking", linesRead: inlineLines.length, bytesRead: size, totalBytes: size });
    expect(reading.at(-1)).toEqual({ phase: "reading", linesRead: inlineLines.length, bytesRead: size, totalBytes: size });
    expect(reading.length).toBeGreaterThan(2);
    // The first product was handed out while most of the file was still unread.
    expect(bytesReadAtFirstProduct).toBeLessThan(size / 2);
  });

  it("reads the two-downloads layout whole, says so once, and returns the same products", async () => {
    const { file, products, notices, progress } = await readAll(separateFile);
    expect(file.assembly()).toBe("whole-file");
    expect(products).toEqual(expected);
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatch(new RegExp(`^${separateFile.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} is not grouped by product \\(line \\d+: .*\\), so it is read whole`));
    // The first pass stopped where the relations section begins; the second read everything.
    expect(progress.filter((event) => event.phase === "checking").at(-1)?.bytesRead).toBeLessThanOrEqual(readFileSync(separateFile).length);
    expect(progress.at(-1)).toMatchObject({ phase: "reading", linesRead: separateLines.length });
  });

  it("reads a byte-order mark, CRLF line ends, blank lines and a last line without a newline", async () => {
    const messy = `\uFEFF${inlineLines.slice(0, 400).join("\r\n")}\r\n\r\n${inlineLines.slice(400).join("\r\n")}`;
    const { file, products } = await readAll(write("messy.jsonl", messy));
    expect(file.assembly()).toBe("streaming");
    expect(products).toEqual(expected);
  });

  it("reads lines longer than a read chunk (a product with a 2.7 MB description)", async () => {
    const long = inlineLines.map((line) => {
      const parsed = JSON.parse(line) as { id: string; descriptionHtml?: string };
      return parsed.id === expected[1]?.id && parsed.descriptionHtml !== undefined ? JSON.stringify({ ...parsed, descriptionHtml: "<p>é</p>".repeat(300_000) }) : line;
    });
    const { file, products } = await readAll(write("long-line.jsonl", long.join("\n")));
    expect(file.assembly()).toBe("streaming");
    expect(products[1]?.descriptionHtml).toHaveLength(2_400_000);
    expect(products).toEqual(assembleWhole(long));
  });

  it("tells the format by content, whatever the file is called", async () => {
    const misnamed = write("catalog.csv", `${inlineLines.slice(0, 50).join("\n")}\n`);
    expect((await readCatalogFile(misnamed)).format).toBe("bulk-jsonl");
  });

  it("reports problems of the catalog with their line and reads on", async () => {
    const withProblem = [...inlineLines];
    const index = withProblem.findIndex((line) => line.includes('"namespace":"custom","key":"launch_date"'));
    withProblem[index] = (withProblem[index] as string).replace(/"value":"[^"]*"/, '"value":"2026-02-30"');
    const { products, file } = await readAll(write("problem.jsonl", withProblem.join("\n")));
    expect(products).toHaveLength(PRODUCTS);
    expect(file.problems()).toEqual([{ line: index + 1, message: expect.stringMatching(new RegExp(`^line ${index + 1}: gid://shopify/Product/\\d+ metafield custom\\.launch_date: value "2026-02-30" is not a valid date`)) }]);
  });

  it("fails before handing out any product when the file was cut off mid-line", async () => {
    const cut = write("cut.jsonl", `${inlineLines.join("\n")}`.slice(0, -20));
    const file = await readCatalogFile(cut);
    let received = 0;
    const error = await (async () => {
      for await (const _product of file.products) received += 1;
    })().then(
      () => null,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(CatalogFileError);
    expect((error as Error).message).toContain(`line ${inlineLines.length}: invalid JSON`);
    expect(received).toBe(0);
  });

  it("fails with CatalogFileError naming the file and the line when a line is not JSON", async () => {
    const broken = write("broken.jsonl", [inlineLines[0], inlineLines[1], "{oops", inlineLines[3]].join("\n"));
    const error = await readError(broken);
    expect(error.message).toMatch(new RegExp(`^${broken.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: not Shopify bulk JSONL: line 3: invalid JSON`));
  });
});

describe("readCatalogFile on a products JSON export", () => {
  const fixture = JSON.parse(PRODUCTS_JSON) as { products: Record<string, unknown>[] };
  const expected = fixture.products.map((item) => {
    const result = normalizeRestProduct(item, "EUR");
    if (!result.ok) throw new Error("fixture does not normalise");
    return result.product;
  });

  it("reads the fixture, compact or pretty-printed", async () => {
    for (const [name, text] of [
      ["export.json", PRODUCTS_JSON],
      ["pretty.json", JSON.stringify(fixture, null, 2)],
      ["other-key-first.json", JSON.stringify({ count: 1, products: fixture.products })],
      ["long-other-key-first.json", JSON.stringify({ note: "x".repeat(1_200_000), products: fixture.products })],
    ] as const) {
      const { file, products } = await readAll(write(name, text));
      expect(file.format).toBe("products-json");
      expect(file.assembly()).toBeNull();
      expect(products).toEqual(expected);
      expect(products[0]?.variants.map((variant) => variant.sku)).toEqual(["IPOD2008PINK", "IPOD2008RED"]);
    }
  });

  it("skips a product that does not normalise, names it, and returns the others", async () => {
    const broken = { ...fixture.products[0], id: 2, handle: "broken", variants: [] };
    const { products, file } = await readAll(write("partly-broken.json", JSON.stringify({ products: [fixture.products[0], broken] })));
    expect(products.map((product) => product.handle)).toEqual(["ipod-nano"]);
    expect(file.problems()).toEqual([{ line: null, message: expect.stringMatching(/^products\[1\] \(broken\): variants: /) }]);
  });

  it("fails with CatalogFileError when the document is not an export", async () => {
    const notExport = write("not-export.json", '{"products": {"oops": true}}');
    expect((await readError(notExport)).message).toBe(`${notExport}: expected a JSON object with a "products" array`);
    const truncated = write("truncated.json", PRODUCTS_JSON.slice(0, 200));
    expect((await readError(truncated)).message).toMatch(new RegExp(`: not valid JSON \\(`));
  });
});

describe("readCatalogFile on Shopify's product CSV", () => {
  for (const [name, products, variants] of [
    ["apparel.csv", 20, 22],
    ["jewelery.csv", 20, 23],
  ] as const) {
    it(`reads ${name}: ${products} products, ${variants} variants, as parseShopifyProductCsv does`, async () => {
      const text = readFileSync(path.join(REAL_PRODUCTS, name), "utf8");
      const { file, products: read } = await readAll(write(name, text));
      expect(file.format).toBe("shopify-csv");
      expect(read).toHaveLength(products);
      expect(read.reduce((sum, product) => sum + product.variants.length, 0)).toBe(variants);
      expect(read).toEqual(parseShopifyProductCsv(text, { shopCurrency: "EUR" }).products);
      expect(file.problems()).toEqual([]);
    });
  }

  it("reads a CSV saved with a byte-order mark and LF line ends under another name, and reports rows with their line", async () => {
    // Shopify's samples end lines with CRLF.
    const text = readFileSync(path.join(REAL_PRODUCTS, "apparel.csv"), "utf8").replace(/\r\n/g, "\n").replace("Small,,,,,,0,,1,deny,manual,60", "Small,,,,,,0,,1,deny,manual,sixty");
    const { file, products } = await readAll(write("export.txt", `\uFEFF${text}`));
    expect(file.format).toBe("shopify-csv");
    expect(products.find((product) => product.handle === "classic-varsity-top")?.variants.map((variant) => variant.title)).toEqual(["Medium", "Large"]);
    expect(file.problems()).toEqual([{ line: 3, message: 'line 3: Variant Price "sixty" is not a number like 19.99; the variant was skipped' }]);
  });
});

describe("readCatalogFile on unreadable input", () => {
  it("throws CatalogFileError naming the file and the reason, before reading any product", async () => {
    const missing = path.join(dir, "missing.jsonl");
    const directory = path.join(dir, "a-directory");
    mkdirSync(directory);
    const cases: [string, string][] = [
      [missing, "no such file"],
      [directory, "is a directory, not a file"],
      [write("empty.jsonl", "  \n\n"), "the file is empty"],
      [write("catalog.jsonl.gz", gzipSync("{}")), "the file is gzip-compressed; unzip it first"],
      [write("notes.txt", "hello,world\n1,2\n"), 'not a catalog file: expected Shopify bulk-operation JSONL, a products JSON export ({"products": [...]}) or Shopify\'s product CSV (a header row with Handle)'],
    ];
    for (const [file, reason] of cases) {
      const error = await readCatalogFile(file).then(
        () => null,
        (thrown: unknown) => thrown,
      );
      expect(error).toBeInstanceOf(CatalogFileError);
      expect(error).toMatchObject({ path: file, reason, message: `${file}: ${reason}` });
    }
  });

  it("throws CatalogFileError for a CSV that cannot be parsed", async () => {
    const bad = write("bad.csv", 'Handle,Title\na,"never closed\n');
    expect((await readError(bad)).message).toMatch(new RegExp(`: not a readable Shopify product CSV: `));
  });
});

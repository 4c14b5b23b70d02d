import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { buildClientSchema, parse, validate, type GraphQLSchema, type IntrospectionQuery } from "graphql";
import { describe, expect, it } from "vitest";

/**
 * Every Admin GraphQL document the app sends (a template literal starting with `#graphql`) must
 * validate against Shopify's own 2025-01 schema. The app pins a newer version; a field that the
 * 2025-01 schema lacks is accepted only through this allowlist, with the changelog entry that
 * introduced it, and an entry nobody uses any more fails the test.
 */
const SCHEMA_FILE = path.resolve(process.cwd(), "../shared/data/shopify-admin-schema/admin_schema_2025-01.json.gz");

export const NEWER_THAN_2025_01: { type: string; field: string; changelog: string }[] = [];

function findDocuments(dir: string): { file: string; source: string }[] {
  const found: { file: string; source: string }[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== "generated") found.push(...findDocuments(full));
    } else if (/\.(ts|tsx)$/.test(entry.name)) {
      const text = readFileSync(full, "utf8");
      for (const match of text.matchAll(/`#graphql([\s\S]*?)`/g)) found.push({ file: path.relative(process.cwd(), full), source: match[1]! });
    }
  }
  return found;
}

describe.skipIf(!existsSync(SCHEMA_FILE))("Admin GraphQL documents", () => {
  const schema: GraphQLSchema = buildClientSchema(
    (JSON.parse(gunzipSync(readFileSync(SCHEMA_FILE)).toString("utf8")) as { data: IntrospectionQuery }).data,
  );
  const documents = findDocuments(path.resolve(process.cwd(), "app"));

  it("exist in the app", () => {
    expect(documents.length).toBeGreaterThan(0);
  });

  const usedAllowances = new Set<string>();
  it.each(documents.map((d) => [d.file, d.source] as const))("%s validates against the 2025-01 schema", (_file, source) => {
    const errors = validate(schema, parse(source)).filter((error) => {
      const missing = /Cannot query field "(\w+)" on type "(\w+)"/.exec(error.message);
      const allowance = missing && NEWER_THAN_2025_01.find((a) => a.field === missing[1] && a.type === missing[2]);
      if (allowance) usedAllowances.add(`${allowance.type}.${allowance.field}`);
      return !allowance;
    });
    expect(errors.map((e) => e.message)).toEqual([]);
  });

  it("allowlist only fields some document still uses", () => {
    expect(NEWER_THAN_2025_01.map((a) => `${a.type}.${a.field}`).filter((key) => !usedAllowances.has(key))).toEqual([]);
  });
});

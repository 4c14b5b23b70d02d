import type { Condition, FieldRule, MappingRules, Source, Transform } from "~/domain/channels/mapping/schema";
import type { MappableField } from "~/domain/channels/types";

/**
 * Immutable edits of a draft rule set for the mapping form, and the map from a server error's path
 * ("fields.title[0].source.template") to the form control it belongs to. The form only ever builds
 * shapes the schema knows; the values may still be wrong (an empty template), which the server's
 * validation reports by path.
 */

export type ConditionList = "include" | "exclude";

export function setFieldRules(draft: MappingRules, field: MappableField, rules: FieldRule[]): MappingRules {
  const fields = { ...draft.fields };
  if (rules.length === 0) delete fields[field];
  else fields[field] = rules;
  const next: MappingRules = { ...draft, fields };
  if (Object.keys(fields).length === 0) delete next.fields;
  return next;
}

export function setConditions(draft: MappingRules, list: ConditionList, conditions: Condition[]): MappingRules {
  const next: MappingRules = { ...draft };
  if (conditions.length === 0) delete next[list];
  else next[list] = conditions;
  return next;
}

export function replaceAt<T>(list: readonly T[], index: number, value: T): T[] {
  return list.map((entry, i) => (i === index ? value : entry));
}

export function removeAt<T>(list: readonly T[], index: number): T[] {
  return list.filter((_, i) => i !== index);
}

export function move<T>(list: readonly T[], index: number, by: -1 | 1): T[] {
  const target = index + by;
  if (target < 0 || target >= list.length) return [...list];
  const next = [...list];
  const [entry] = next.splice(index, 1);
  if (entry !== undefined) next.splice(target, 0, entry);
  return next;
}

export function defaultSource(type: Source["type"]): Source {
  switch (type) {
    case "field":
      return { type: "field", path: "product.title" };
    case "metafield":
      return { type: "metafield", key: "" };
    case "template":
      return { type: "template", template: "{{product.title}}" };
    case "static":
      return { type: "static", value: "" };
    case "lookup":
      return { type: "lookup", from: { type: "field", path: "product.productType" }, table: {} };
  }
}

export function defaultTransform(type: Transform["type"]): Transform {
  switch (type) {
    case "truncate":
      return { type: "truncate", max: 150, atWord: true };
    case "stripHtml":
      return { type: "stripHtml" };
    case "case":
      return { type: "case", to: "title" };
    case "prefix":
      return { type: "prefix", value: "" };
    case "suffix":
      return { type: "suffix", value: "" };
    case "replace":
      return { type: "replace", find: "", with: "", all: true };
    case "trim":
      return { type: "trim" };
  }
}

/** A new rule that writes what the field has now, so adding it changes nothing until edited. */
export function defaultRule(field: MappableField): FieldRule {
  return { source: { type: "field", path: `item.${field}` } };
}

export interface PathError {
  path: string;
  message: string;
}

/**
 * The errors at or under `prefix`, with the rest of the path kept for the message ("source.template:
 * cannot be empty"). A prefix matches only at a path boundary: "fields.title[1]" does not take
 * "fields.title[10]".
 */
export function errorsUnder(errors: readonly PathError[], prefix: string): PathError[] {
  return errors
    .filter((error) => error.path === prefix || error.path.startsWith(`${prefix}.`) || error.path.startsWith(`${prefix}[`))
    .map((error) => ({ path: error.path.slice(prefix.length).replace(/^\./, ""), message: error.message }));
}

/** The paths the form shows next to a control; everything else goes to the page's banner. */
export function isPlacedInForm(path: string): boolean {
  return /^fields\.\w+\[\d+\]/.test(path) || /^(include|exclude)\[\d+\]/.test(path) || path === "granularity";
}

/** JSON with object keys sorted: two rule sets that differ only in key order compare equal. */
export function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) => {
    if (typeof inner !== "object" || inner === null || Array.isArray(inner)) return inner;
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(inner).sort()) sorted[key] = (inner as Record<string, unknown>)[key];
    return sorted;
  });
}

import type { Product, Variant } from "../../catalog/types";
import { collapseWhitespace } from "../text";
import type { MappedItem } from "../types";

/**
 * The template language of mapping rules: literal text with `{{placeholder}}` slots, nothing else (no
 * logic, no filters; conditions and transforms do that). This module knows the syntax and how a
 * compiled template renders; which placeholder names exist is the schema's business and how a name is
 * read is the evaluator's.
 */

export type TemplateToken = { kind: "text"; text: string } | { kind: "placeholder"; name: string };

export type TemplateTokens = { ok: true; tokens: TemplateToken[] } | { ok: false; message: string };

const OPEN = "{{";
const CLOSE = "}}";

/** Splits a template into literal text and placeholder names (trimmed, so `{{ product.title }}` works). */
export function tokenizeTemplate(template: string): TemplateTokens {
  const tokens: TemplateToken[] = [];
  let cursor = 0;
  while (cursor < template.length) {
    const open = template.indexOf(OPEN, cursor);
    if (open === -1) break;
    const close = template.indexOf(CLOSE, open + OPEN.length);
    if (close === -1) {
      return { ok: false, message: `"${excerpt(template.slice(open))}" opens a placeholder with {{ that is never closed with }}` };
    }
    if (open > cursor) tokens.push({ kind: "text", text: template.slice(cursor, open) });
    const name = template.slice(open + OPEN.length, close).trim();
    if (name === "") return { ok: false, message: "{{}} is an empty placeholder; put a field between the braces, e.g. {{product.title}}" };
    tokens.push({ kind: "placeholder", name });
    cursor = close + CLOSE.length;
  }
  if (cursor < template.length) tokens.push({ kind: "text", text: template.slice(cursor) });
  return { ok: true, tokens };
}

function excerpt(text: string): string {
  return text.length > 30 ? `${text.slice(0, 27)}...` : text;
}

/** Reads one value of a product, variant or default item; null when it has none. */
export type ValueReader = (product: Product, variant: Variant, item: MappedItem) => string | null;

/**
 * A literal, or a placeholder with the brackets written around it ("({{variant.option1}})"), which
 * show only when the placeholder has a value.
 */
export type CompiledTemplatePart =
  | { read: null; text: string; separatorOnly: boolean }
  | { read: ValueReader; open: string; close: string };

/**
 * Text made only of spaces and the punctuation people put between values ("Shirt - Navy / M",
 * "Acme | Shirt"). When a value next to it is missing, such text would dangle ("Shirt - "), so
 * rendering drops it.
 */
const SEPARATOR_ONLY = /^[\s\-–—|/\\,;:·•+&]*$/;
const CLOSING_BRACKET: Readonly<Record<string, string>> = { "(": ")", "[": "]", "{": "}" };

function literal(text: string): CompiledTemplatePart {
  return { read: null, text, separatorOnly: SEPARATOR_ONLY.test(text) };
}

export function compileTemplateTokens(tokens: readonly TemplateToken[], readerFor: (name: string) => ValueReader): CompiledTemplatePart[] {
  const parts: CompiledTemplatePart[] = [];
  for (let index = 0; index < tokens.length; index += 1) {
    const token = tokens[index];
    if (!token) continue;
    if (token.kind === "text") {
      parts.push(literal(token.text));
      continue;
    }
    // "…(" {{name}} ")…": the brackets belong to the value, so a missing value takes them along.
    const before = parts.at(-1);
    const after = tokens[index + 1];
    const open = before?.read === null ? before.text.slice(-1) : "";
    const close = CLOSING_BRACKET[open];
    if (before?.read === null && close && after?.kind === "text" && after.text.startsWith(close)) {
      parts.pop();
      if (before.text.length > 1) parts.push(literal(before.text.slice(0, -1)));
      parts.push({ read: readerFor(token.name), open, close });
      if (after.text.length > 1) parts.push(literal(after.text.slice(1)));
      index += 1;
      continue;
    }
    parts.push({ read: readerFor(token.name), open: "", close: "" });
  }
  return parts;
}

/**
 * Renders a compiled template; missing values render as nothing and whitespace is collapsed. When a
 * value is missing, separator-only text left without a value on both sides is dropped too, so
 * "{{product.title}} - {{variant.option1}}" gives "Linen Shirt" rather than "Linen Shirt -" for a
 * product without options. When every value is present the literal text is kept exactly.
 *
 * One pass builds both candidates, so nothing is allocated per part.
 */
export function renderTemplate(parts: readonly CompiledTemplatePart[], product: Product, variant: Variant, item: MappedItem): string {
  let plain = "";
  let cleaned = "";
  let pendingSeparator = "";
  let cleanedHasContent = false;
  let anyMissing = false;
  for (const part of parts) {
    if (part.read === null) {
      plain += part.text;
      if (part.separatorOnly) {
        // Keep the first separator between two values; drop any that lead the output.
        if (cleanedHasContent && pendingSeparator === "") pendingSeparator = part.text;
      } else {
        cleaned += pendingSeparator + part.text;
        pendingSeparator = "";
        cleanedHasContent = true;
      }
      continue;
    }
    const value = part.read(product, variant, item);
    if (value === null || value.trim() === "") {
      anyMissing = true;
      continue;
    }
    const shown = part.open === "" ? value : part.open + value + part.close;
    plain += shown;
    cleaned += pendingSeparator + shown;
    pendingSeparator = "";
    cleanedHasContent = true;
  }
  const text = anyMissing ? cleaned : plain;
  return isTidy(text) ? text : collapseWhitespace(text);
}

/**
 * Whether collapseWhitespace would leave `text` unchanged: single inner spaces only. Most rendered
 * values are, and a scan is much cheaper than the regular expression's replace.
 */
function isTidy(text: string): boolean {
  const last = text.length - 1;
  for (let index = 0; index <= last; index += 1) {
    const code = text.charCodeAt(index);
    if (code === 0x20) {
      if (index === 0 || index === last || text.charCodeAt(index - 1) === 0x20) return false;
    } else if (code < 0x20 || isUnicodeSpace(code)) {
      return false;
    }
  }
  return true;
}

/** The non-ASCII characters collapseWhitespace treats as spaces. */
function isUnicodeSpace(code: number): boolean {
  if (code < 0xa0) return false;
  return (
    code === 0xa0 || code === 0x1680 || (code >= 0x2000 && code <= 0x200a) || code === 0x2028 || code === 0x2029 || code === 0x202f || code === 0x205f || code === 0x3000 || code === 0xfeff
  );
}

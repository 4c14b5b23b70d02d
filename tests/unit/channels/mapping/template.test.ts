import { describe, expect, it } from "vitest";
import { compileTemplateTokens, renderTemplate, tokenizeTemplate, type ValueReader } from "../../../../app/domain/channels/mapping/template";
import { itemFor, shirt } from "./fixtures";

describe("tokenizeTemplate", () => {
  it("splits literal text and trimmed placeholder names", () => {
    expect(tokenizeTemplate("{{ product.title }} - {{variant.option1}}!")).toEqual({
      ok: true,
      tokens: [
        { kind: "placeholder", name: "product.title" },
        { kind: "text", text: " - " },
        { kind: "placeholder", name: "variant.option1" },
        { kind: "text", text: "!" },
      ],
    });
  });

  it("keeps single braces and stray closers as text", () => {
    expect(tokenizeTemplate("a {b} }} c")).toEqual({ ok: true, tokens: [{ kind: "text", text: "a {b} }} c" }] });
  });

  it("refuses unclosed and empty placeholders", () => {
    expect(tokenizeTemplate("x {{product.title")).toMatchObject({ ok: false });
    expect(tokenizeTemplate("{{}}")).toMatchObject({ ok: false });
  });
});

describe("renderTemplate", () => {
  const product = shirt();
  const variant = product.variants[0]!;
  const item = itemFor(product, variant);

  /** Compiles a template whose placeholders read from `values` by name (missing names are empty). */
  function render(template: string, values: Record<string, string | null>): string {
    const tokens = tokenizeTemplate(template);
    if (!tokens.ok) throw new Error(tokens.message);
    const reader = (name: string): ValueReader => () => values[name] ?? null;
    return renderTemplate(compileTemplateTokens(tokens.tokens, reader), product, variant, item);
  }

  it("fills placeholders and collapses whitespace", () => {
    expect(render("  {{a}}   -\n{{b}} ", { a: "Linen  Shirt", b: "Navy" })).toBe("Linen Shirt - Navy");
  });

  it("keeps literal punctuation exactly when every value is present", () => {
    expect(render("{{a}}: {{b}} -", { a: "Shirt", b: "Navy" })).toBe("Shirt: Navy -");
  });

  it("drops separators a missing value would leave dangling", () => {
    expect(render("{{a}} - {{b}}", { a: "Linen Shirt", b: null })).toBe("Linen Shirt");
    expect(render("{{a}} - {{b}}", { a: null, b: "Navy" })).toBe("Navy");
    expect(render("{{a}} - {{b}} / {{c}}", { a: "Shirt", b: "", c: "M" })).toBe("Shirt - M");
    expect(render("{{a}} | {{b}} | {{c}}", { a: null, b: null, c: null })).toBe("");
  });

  it("drops the brackets around a missing value and keeps them around a present one", () => {
    expect(render("{{a}} ({{b}})", { a: "Shirt", b: null })).toBe("Shirt");
    expect(render("{{a}} ({{b}})", { a: "Shirt", b: "Navy" })).toBe("Shirt (Navy)");
    expect(render("{{a}} [{{b}}] ({{c}}).", { a: "Shirt", b: null, c: "M" })).toBe("Shirt (M).");
    expect(render("({{a}})", { a: null })).toBe("");
  });

  it("keeps words next to a missing value", () => {
    expect(render("{{a}} by {{b}}", { a: "Shirt", b: null })).toBe("Shirt by");
    expect(render("Size: {{b}}", { b: null })).toBe("Size:");
  });
});

import { describe, expect, it } from "vitest";
import {
  META_RICH_TEXT_TAGS,
  TIKTOK_DESCRIPTION_TAGS,
  charLength,
  collapseWhitespace,
  containsCjk,
  containsEmoji,
  decodeEntities,
  findOffPlatformContact,
  findPromoText,
  isAllCaps,
  removeCjk,
  removeControlChars,
  removeEmoji,
  sanitizeRichHtml,
  stripHtml,
  toSentenceCase,
  toTitleCase,
  truncateAtWord,
} from "../../../app/domain/channels/text";

/** The demo catalog's entity-laden description (generate-catalog.ts), verbatim. */
const ENTITY_DESCRIPTION =
  '<p><span style="font-weight: 400;" data-mce-fragment="1">Linen &amp; care&nbsp;&ndash; finished by hand in our atelier&hellip;</span></p>' +
  "<p>Caf&eacute; au lait tones. 100&nbsp;% &quot;slow made&quot;.<br><ul><li>Relaxed fit</li><li>Breathable</li></ul></p>";

describe("decodeEntities", () => {
  it("decodes named, decimal and hex entities", () => {
    expect(decodeEntities("Caf&eacute; &amp; cr&egrave;me &#39;bio&#39; &#x2019; &Uuml;&szlig;")).toBe("Café & crème 'bio' ’ Üß");
  });

  it("reads &#128;-&#159; as Windows-1252 like browsers do", () => {
    expect(decodeEntities("it&#146;s &#150; &#128;5")).toBe("it’s – €5");
  });

  it("leaves unknown, unterminated and invalid entities as typed", () => {
    expect(decodeEntities("&bogus; &amp &#xZZ; &#0; &#xD800; A&B")).toBe("&bogus; &amp &#xZZ; &#0; &#xD800; A&B");
  });
});

describe("stripHtml", () => {
  it("turns the demo's entity-laden description into clean lines", () => {
    expect(stripHtml(ENTITY_DESCRIPTION)).toBe(
      'Linen & care – finished by hand in our atelier…\nCafé au lait tones. 100 % "slow made".\n• Relaxed fit\n• Breathable',
    );
  });

  it("drops script, style and iframe content entirely", () => {
    const html = '<p>Shirt</p><script>window.dataLayer.push({event:"view_item"});</script><style>p{color:red}</style><iframe src="x">fallback</iframe><p>Linen</p>';
    expect(stripHtml(html)).toBe("Shirt\nLinen");
  });

  it("treats script end tags case-insensitively and drops an unclosed script to the end", () => {
    expect(stripHtml("A<SCRIPT>x</ScRiPt >B")).toBe("AB");
    expect(stripHtml("A<script>never closed <p>B</p>")).toBe("A");
  });

  it("collapses whitespace, source newlines and nbsp into single spaces", () => {
    expect(stripHtml("  Linen\n\n   shirt\t&nbsp; in\u00A0blue  ")).toBe("Linen shirt in blue");
  });

  it("turns headings, divs, br and rows into single line breaks", () => {
    expect(stripHtml("<h2>Care</h2><div>Wash cold</div><div><br><br>Dry flat</div>")).toBe("Care\nWash cold\nDry flat");
    expect(stripHtml("<table><tr><td>Material</td><td>Linen</td></tr><tr><td>Fit</td><td>Relaxed</td></tr></table>")).toBe("Material | Linen\nFit | Relaxed");
  });

  it("keeps inline markup's words together and drops comments and doctypes", () => {
    expect(stripHtml("<!DOCTYPE html><!-- note --><p>Soft<b>est</b> <em>linen</em></p>")).toBe("Softest linen");
  });

  it("keeps stray < and > that are not tags", () => {
    expect(stripHtml("Fits waist < 80 cm & > 70 cm; <3 it")).toBe("Fits waist < 80 cm & > 70 cm; <3 it");
  });

  it("does not let an apostrophe in an unquoted attribute swallow the document", () => {
    expect(stripHtml("<img alt=Women's src=x.jpg><p>Shirt</p><p>Linen</p>")).toBe("Shirt\nLinen");
  });

  it("drops zero-width, soft hyphen and control characters", () => {
    expect(stripHtml("Lin\u00ADen\u200B shirt\u0007&shy;")).toBe("Linen shirt");
  });

  it("returns text without markup unchanged apart from whitespace", () => {
    expect(stripHtml("Plain text, no tags")).toBe("Plain text, no tags");
    expect(stripHtml("")).toBe("");
  });

  it("stays linear on hostile input", () => {
    const hostile = "<a title='".repeat(20_000) + "<".repeat(50_000) + "&".repeat(50_000) + "<p>".repeat(20_000);
    const started = performance.now();
    stripHtml(hostile);
    sanitizeRichHtml(hostile, META_RICH_TEXT_TAGS);
    sanitizeRichHtml("<b>".repeat(30_000) + "</i>".repeat(30_000) + "text", TIKTOK_DESCRIPTION_TAGS, { flattenNesting: true });
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});

describe("sanitizeRichHtml", () => {
  it("keeps allowed tags without attributes and drops the rest with their text kept", () => {
    const html = '<p class="x" style="color:red">Soft <span data-x="1"><strong onclick="evil()">linen</strong></span></p>';
    expect(sanitizeRichHtml(html, META_RICH_TEXT_TAGS)).toBe("<p>Soft <strong>linen</strong></p>");
  });

  it("drops script, style and iframe with their content", () => {
    const html = "<p>Shirt</p><script>alert(1)</script><iframe>frame text</iframe><style>p{}</style>";
    expect(sanitizeRichHtml(html, META_RICH_TEXT_TAGS)).toBe("<p>Shirt</p>");
  });

  it("escapes stray < & > and normalises entities", () => {
    expect(sanitizeRichHtml("<p>Waist < 80 & chest > 90 &amp; caf&eacute;</p>", META_RICH_TEXT_TAGS)).toBe("<p>Waist &lt; 80 &amp; chest &gt; 90 &amp; café</p>");
  });

  it("closes unclosed tags and ignores stray closing tags", () => {
    expect(sanitizeRichHtml("<p>Soft <b>linen</p></i>", META_RICH_TEXT_TAGS)).toBe("<p>Soft <b>linen</b></p>");
    expect(sanitizeRichHtml("<ul><li>One<li>Two", META_RICH_TEXT_TAGS)).toBe("<ul><li>One</li><li>Two</li></ul>");
  });

  it("wraps top-level text in paragraphs so blocks never run together", () => {
    expect(sanitizeRichHtml("Intro<div>First</div><div>Second</div>", META_RICH_TEXT_TAGS)).toBe("<p>Intro</p><p>First</p><p>Second</p>");
  });

  it("sanitises the demo's entity description for Meta", () => {
    expect(sanitizeRichHtml(ENTITY_DESCRIPTION, META_RICH_TEXT_TAGS)).toBe(
      "<p>Linen &amp; care\u00A0– finished by hand in our atelier…</p><p>Café au lait tones. 100\u00A0% \"slow made\".</p><ul><li>Relaxed fit</li><li>Breathable</li></ul>",
    );
  });

  it("drops images unless allowed, and keeps only src, width and height", () => {
    const html = '<p>Look</p><img src="https://cdn.shopify.com/a.jpg?v=1&amp;w=2" width="800px" height="600" alt="x" onerror="evil()">';
    expect(sanitizeRichHtml(html, META_RICH_TEXT_TAGS)).toBe("<p>Look</p>");
    expect(sanitizeRichHtml(html, TIKTOK_DESCRIPTION_TAGS)).toBe('<p>Look</p><img src="https://cdn.shopify.com/a.jpg?v=1&amp;w=2" width="800" height="600">');
    expect(sanitizeRichHtml(html, TIKTOK_DESCRIPTION_TAGS, { allowImages: false })).toBe("<p>Look</p>");
    expect(sanitizeRichHtml('<img src="javascript:alert(1)">', TIKTOK_DESCRIPTION_TAGS)).toBe("");
    expect(sanitizeRichHtml('<img src="//cdn.shopify.com/b.png">', TIKTOK_DESCRIPTION_TAGS)).toBe('<img src="https://cdn.shopify.com/b.png">');
  });

  it("keeps a safe href only when a is allowed", () => {
    const allowed = new Set(["p", "a"]);
    expect(sanitizeRichHtml('<a href="https://shop.example/x" target="_blank">shop</a>', allowed)).toBe('<p><a href="https://shop.example/x">shop</a></p>');
    expect(sanitizeRichHtml('<a href="javascript:alert(1)">shop</a>', allowed)).toBe("<p><a>shop</a></p>");
    expect(sanitizeRichHtml('<a href="https://x">shop</a>', META_RICH_TEXT_TAGS)).toBe("<p>shop</p>");
  });

  it("writes a line break only before content in the same block, at most one blank line", () => {
    expect(sanitizeRichHtml("<p>One<br>Two<br><br><br>Three<br></p><p><br>Four</p>", META_RICH_TEXT_TAGS)).toBe("<p>One<br>Two<br><br>Three</p><p>Four</p>");
  });

  it("returns an empty string when nothing visible is left", () => {
    expect(sanitizeRichHtml("<p> </p><div><br></div><script>x</script>", META_RICH_TEXT_TAGS)).toBe("");
  });

  describe("flattenNesting (TikTok)", () => {
    const tiktok = (html: string) => sanitizeRichHtml(html, TIKTOK_DESCRIPTION_TAGS, { flattenNesting: true });

    it("flattens nested lists into one level", () => {
      expect(tiktok("<ul><li>A<ul><li>B</li><li>C</li></ul></li><li>D</li></ul>")).toBe("<ul><li>A</li><li>B</li><li>C</li><li>D</li></ul>");
    });

    it("turns paragraphs inside list items into line breaks", () => {
      expect(tiktok("<ul><li><p>Line one</p><p>Line two</p></li></ul>")).toBe("<ul><li>Line one<br>Line two</li></ul>");
    });

    it("closes a paragraph before a list and never nests blocks", () => {
      expect(tiktok("<p>Intro<ul><li>x</li></ul>outro</p>")).toBe("<p>Intro</p><ul><li>x</li></ul><p>outro</p>");
      expect(tiktok("<div><p>A<p>B</p></div>")).toBe("<p>A</p><p>B</p>");
    });

    it("puts top-level inline tags and text inside paragraphs", () => {
      expect(tiktok("<strong>Bold</strong> claim<br>next")).toBe("<p><strong>Bold</strong> claim<br>next</p>");
      expect(tiktok("<h2>Care</h2>Wash cold")).toBe("<p>Care</p><p>Wash cold</p>");
    });

    it("puts stray text inside a list into an item", () => {
      expect(tiktok("<ul> <li>A</li> loose </ul>")).toBe("<ul><li>A</li><li>loose</li></ul>");
    });
  });
});

describe("charLength", () => {
  it("counts code points, not UTF-16 units", () => {
    expect(charLength("Linen")).toBe(5);
    expect(charLength("✨ Shirt 🌸")).toBe(9);
    expect(charLength("👩‍👩‍👧")).toBe(5);
    expect(charLength("𝒜𝒷𝒸")).toBe(3);
  });
});

describe("truncateAtWord", () => {
  it("returns text within the limit unchanged", () => {
    expect(truncateAtWord("Linen shirt", 11)).toBe("Linen shirt");
    expect(truncateAtWord("🌸🌸🌸", 3)).toBe("🌸🌸🌸");
  });

  it("cuts at the last word boundary when that keeps enough of the limit", () => {
    expect(truncateAtWord("Relaxed linen shirt with pocket", 20)).toBe("Relaxed linen shirt");
    expect(truncateAtWord("Relaxed linen shirt with pocket", 19)).toBe("Relaxed linen shirt");
  });

  it("cuts mid-word when the last boundary is too early", () => {
    expect(truncateAtWord("Linen supercalifragilisticexpialidocious", 20)).toBe("Linen supercalifragi");
  });

  it("leaves no trailing punctuation or space", () => {
    expect(truncateAtWord("Linen shirt, navy - size M", 13)).toBe("Linen shirt");
    expect(truncateAtWord("Linen shirt (navy)", 13)).toBe("Linen shirt");
  });

  it("never splits a surrogate pair at the boundary", () => {
    const text = "Summer🌸🌸🌸🌸";
    expect(truncateAtWord(text, 8)).toBe("Summer🌸🌸");
    expect(charLength(truncateAtWord(text, 8))).toBe(8);
    // The limit falls right after a high surrogate when counted in UTF-16 units.
    expect(truncateAtWord("ab𝒜𝒷𝒸𝒹𝒺", 3)).toBe("ab𝒜");
  });

  it("returns an empty string for a non-positive limit", () => {
    expect(truncateAtWord("Linen", 0)).toBe("");
  });
});

describe("isAllCaps", () => {
  it("flags titles written in capitals", () => {
    expect(isAllCaps("RELAXED LINEN SHIRT")).toBe(true);
    expect(isAllCaps("HANDMADE")).toBe(true);
    expect(isAllCaps("LEINENHEMD FÜR DAMEN")).toBe(true);
    expect(isAllCaps("ЛЬНЯНАЯ РУБАШКА")).toBe(true);
  });

  it("accepts acronyms, sizes and normal titles", () => {
    expect(isAllCaps("USB-C Cable")).toBe(false);
    expect(isAllCaps("Linen Shirt XL")).toBe(false);
    expect(isAllCaps("NEW")).toBe(false);
    expect(isAllCaps("TV 4K HDR")).toBe(false);
    expect(isAllCaps("NEW ARRIVAL linen shirt with pocket")).toBe(false);
    expect(isAllCaps("麻衬衫")).toBe(false);
    expect(isAllCaps("")).toBe(false);
  });
});

describe("findPromoText", () => {
  it("finds promotional phrases as written, in several languages", () => {
    expect(findPromoText("Linen Shirt | Free Shipping | Gift")).toBe("Free Shipping");
    expect(findPromoText("Summer dress 20% OFF today")).toBe("20% OFF");
    expect(findPromoText("Kemeja linen GRATIS ONGKIR")).toBe("GRATIS ONGKIR");
    expect(findPromoText("Leinenhemd – kostenloser Versand")).toBe("kostenloser Versand");
    expect(findPromoText("Robe en lin, livraison gratuite")).toBe("livraison gratuite");
    expect(findPromoText("Vestido de lino envío gratis")).toBe("envío gratis");
    expect(findPromoText("Buy One Get One linen towels")).toBe("Buy One Get One");
    expect(findPromoText("Cheap linen shirt")).toBe("Cheap");
  });

  it("matches whole words only", () => {
    expect(findPromoText("Wholesale linen, salesman's pick")).toBeNull();
    expect(findPromoText("Discounting nothing: the Limited Edition shirt")).toBeNull();
    expect(findPromoText("Relaxed linen shirt")).toBeNull();
  });
});

describe("emoji", () => {
  it("detects emoji but not ©, ® and ™", () => {
    expect(containsEmoji("✨ Linen Shirt 🌸")).toBe(true);
    expect(containsEmoji("I ❤️ linen")).toBe(true);
    expect(containsEmoji("Flag 🇮🇩")).toBe(true);
    expect(containsEmoji("Keycap 1️⃣")).toBe(true);
    expect(containsEmoji("Linen™ by Maison Lin® ©2026")).toBe(false);
    expect(containsEmoji("Linen shirt")).toBe(false);
  });

  it("removes emoji sequences and the spaces they leave", () => {
    expect(removeEmoji("✨ Linen Shirt 🌸")).toBe("Linen Shirt");
    expect(removeEmoji("Family 👩‍👩‍👧 pack 👍🏽 ok")).toBe("Family pack ok");
    expect(removeEmoji("Line one 🌸\nLine two")).toBe("Line one\nLine two");
    expect(removeEmoji("Linen™ shirt")).toBe("Linen™ shirt");
  });
});

describe("Chinese characters and control characters", () => {
  it("detects and removes Han characters", () => {
    expect(containsCjk("Linen 衬衫")).toBe(true);
    expect(containsCjk("リネン")).toBe(false);
    expect(removeCjk("Linen 衬衫 shirt")).toBe("Linen shirt");
  });

  it("removes C0 and C1 controls but keeps tab, LF and CR", () => {
    expect(removeControlChars("a\u0000b\u0008c\td\ne\rf\u007Fg\u0085h")).toBe("abc\td\ne\rfgh");
    expect(removeControlChars("clean")).toBe("clean");
  });
});

describe("findOffPlatformContact", () => {
  it("finds URLs, bare domains, emails and phone numbers", () => {
    expect(findOffPlatformContact("Order at https://shop.example.com/p?x=1.")).toBe("https://shop.example.com/p?x=1");
    expect(findOffPlatformContact("See www.maison-lin.fr for sizes")).toBe("www.maison-lin.fr");
    expect(findOffPlatformContact("Visit maisonlin.com today")).toBe("maisonlin.com");
    expect(findOffPlatformContact("Questions? hello@maison-lin.fr")).toBe("hello@maison-lin.fr");
    expect(findOffPlatformContact("WhatsApp +62 812-3456-7890 for orders")).toBe("+62 812-3456-7890");
    expect(findOffPlatformContact("Call (030) 1234 5678")).toBe("(030) 1234 5678");
  });

  it("returns the first contact in the text", () => {
    expect(findOffPlatformContact("Mail a@b.co or visit b.com")).toBe("a@b.co");
  });

  it("ignores prices, dates, barcodes and measurements", () => {
    expect(findOffPlatformContact("Rp 1.299.000, 2026-12-25, EAN 4001000000013, 30 x 20 x 10 cm, 100% linen.")).toBeNull();
    expect(findOffPlatformContact("Made in U.S.A. e.g. size M. Nordic Thread Co.")).toBeNull();
  });
});

describe("whitespace and case", () => {
  it("collapses every whitespace run into one space", () => {
    expect(collapseWhitespace("  Linen \n\t shirt\u00A0 navy ")).toBe("Linen shirt navy");
  });

  it("title-cases, keeping acronyms unless the text shouts", () => {
    expect(toTitleCase("RELAXED LINEN SHIRT WITH POCKET")).toBe("Relaxed Linen Shirt with Pocket");
    expect(toTitleCase("usb-C cable for the iPhone")).toBe("Usb-C Cable for the iPhone");
    expect(toTitleCase("women's t-shirt")).toBe("Women's T-Shirt");
    expect(toTitleCase("ÉTÉ EN LIN")).toBe("Été En Lin");
  });

  it("sentence-cases", () => {
    expect(toSentenceCase("RELAXED LINEN SHIRT. MADE IN PORTUGAL!")).toBe("Relaxed linen shirt. Made in portugal!");
    expect(toSentenceCase("Relaxed Linen Shirt With USB Port")).toBe("Relaxed linen shirt with USB port");
  });
});

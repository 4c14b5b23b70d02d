/**
 * Text hygiene shared by every channel's defaults, checks and serializers (../shared/specs/channels.md
 * §6, §7.6): HTML to plain text, a sanitised rich-text subset, character counts that match what the
 * channels count (code points), word-boundary truncation, and the detectors behind the ALL CAPS,
 * promotional text, emoji, Chinese characters and off-platform contact checks.
 *
 * The HTML functions are hand-written single-pass scanners, not regular expressions, so a hostile or
 * broken description costs time proportional to its length and never more.
 */

// ---------------------------------------------------------------------------------------------
// Character entities

/** Named entities merchants' editors and supplier feeds actually produce; unknown names stay as typed. */
const NAMED_ENTITIES: ReadonlyMap<string, string> = buildNamedEntities();

function buildNamedEntities(): Map<string, string> {
  const table = new Map<string, string>([
    ["amp", "&"], ["lt", "<"], ["gt", ">"], ["quot", '"'], ["apos", "'"],
    ["nbsp", "\u00A0"], ["ensp", "\u2002"], ["emsp", "\u2003"], ["thinsp", "\u2009"], ["shy", "\u00AD"],
    ["zwj", "\u200D"], ["zwnj", "\u200C"], ["lrm", "\u200E"], ["rlm", "\u200F"],
    ["ndash", "\u2013"], ["mdash", "\u2014"], ["hellip", "\u2026"], ["bull", "\u2022"], ["middot", "\u00B7"],
    ["lsquo", "\u2018"], ["rsquo", "\u2019"], ["sbquo", "\u201A"], ["ldquo", "\u201C"], ["rdquo", "\u201D"],
    ["bdquo", "\u201E"], ["laquo", "\u00AB"], ["raquo", "\u00BB"], ["lsaquo", "\u2039"], ["rsaquo", "\u203A"],
    ["prime", "\u2032"], ["Prime", "\u2033"], ["dagger", "\u2020"], ["Dagger", "\u2021"], ["permil", "\u2030"],
    ["copy", "\u00A9"], ["reg", "\u00AE"], ["trade", "\u2122"], ["deg", "\u00B0"], ["plusmn", "\u00B1"],
    ["times", "\u00D7"], ["divide", "\u00F7"], ["minus", "\u2212"], ["frac12", "\u00BD"], ["frac14", "\u00BC"],
    ["frac34", "\u00BE"], ["sup1", "\u00B9"], ["sup2", "\u00B2"], ["sup3", "\u00B3"], ["micro", "\u00B5"],
    ["para", "\u00B6"], ["sect", "\u00A7"], ["ordf", "\u00AA"], ["ordm", "\u00BA"], ["iexcl", "\u00A1"],
    ["iquest", "\u00BF"], ["cent", "\u00A2"], ["pound", "\u00A3"], ["yen", "\u00A5"], ["euro", "\u20AC"],
    ["curren", "\u00A4"], ["brvbar", "\u00A6"], ["uml", "\u00A8"], ["macr", "\u00AF"], ["acute", "\u00B4"],
    ["cedil", "\u00B8"], ["not", "\u00AC"], ["larr", "\u2190"], ["rarr", "\u2192"], ["uarr", "\u2191"],
    ["darr", "\u2193"], ["harr", "\u2194"], ["hearts", "\u2665"], ["check", "\u2713"], ["star", "\u2606"],
    ["szlig", "\u00DF"], ["aelig", "\u00E6"], ["AElig", "\u00C6"], ["oslash", "\u00F8"], ["Oslash", "\u00D8"],
    ["eth", "\u00F0"], ["ETH", "\u00D0"], ["thorn", "\u00FE"], ["THORN", "\u00DE"], ["oelig", "\u0153"],
    ["OElig", "\u0152"], ["scaron", "\u0161"], ["Scaron", "\u0160"], ["zcaron", "\u017E"], ["Zcaron", "\u017D"],
  ]);
  // Latin-1 letters with accents: &eacute; &Uuml; &ccedil; ... composed from letter + combining mark.
  const accents: [suffix: string, mark: string, letters: string][] = [
    ["acute", "\u0301", "aeiouyAEIOUY"],
    ["grave", "\u0300", "aeiouAEIOU"],
    ["circ", "\u0302", "aeiouAEIOU"],
    ["tilde", "\u0303", "anoANO"],
    ["uml", "\u0308", "aeiouyAEIOUY"],
    ["ring", "\u030A", "aA"],
    ["cedil", "\u0327", "cC"],
  ];
  for (const [suffix, mark, letters] of accents) {
    for (const letter of letters) table.set(`${letter}${suffix}`, `${letter}${mark}`.normalize("NFC"));
  }
  return table;
}

/** Browsers read &#128;–&#159; as Windows-1252, which is what editors meant by them (&#146; is ’). */
const WINDOWS_1252: ReadonlyMap<number, number> = new Map([
  [0x80, 0x20ac], [0x82, 0x201a], [0x83, 0x0192], [0x84, 0x201e], [0x85, 0x2026], [0x86, 0x2020], [0x87, 0x2021],
  [0x88, 0x02c6], [0x89, 0x2030], [0x8a, 0x0160], [0x8b, 0x2039], [0x8c, 0x0152], [0x8e, 0x017d], [0x91, 0x2018],
  [0x92, 0x2019], [0x93, 0x201c], [0x94, 0x201d], [0x95, 0x2022], [0x96, 0x2013], [0x97, 0x2014], [0x98, 0x02dc],
  [0x99, 0x2122], [0x9a, 0x0161], [0x9b, 0x203a], [0x9c, 0x0153], [0x9e, 0x017e], [0x9f, 0x0178],
]);

const MAX_ENTITY_NAME = 32;

interface DecodedEntity {
  text: string;
  /** Index just after the entity's semicolon. */
  end: number;
}

function isAsciiAlnum(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

function isHexDigit(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 70) || (code >= 97 && code <= 102);
}

/** Decodes the entity starting at `text[at] === "&"`, or null when it is not one (a stray ampersand). */
function decodeEntityAt(text: string, at: number): DecodedEntity | null {
  if (text.charCodeAt(at + 1) === 35 /* # */) return decodeNumericEntity(text, at);
  let end = at + 1;
  while (end < text.length && end - at <= MAX_ENTITY_NAME && isAsciiAlnum(text.charCodeAt(end))) end += 1;
  if (end === at + 1 || text.charCodeAt(end) !== 59 /* ; */) return null;
  const decoded = NAMED_ENTITIES.get(text.slice(at + 1, end));
  return decoded === undefined ? null : { text: decoded, end: end + 1 };
}

function decodeNumericEntity(text: string, at: number): DecodedEntity | null {
  const hex = (text.charCodeAt(at + 2) | 0x20) === 120; /* x or X */
  const start = at + (hex ? 3 : 2);
  let end = start;
  while (end < text.length && end - start < 8 && (hex ? isHexDigit(text.charCodeAt(end)) : isAsciiDigit(text.charCodeAt(end)))) end += 1;
  if (end === start || text.charCodeAt(end) !== 59 /* ; */) return null;
  let codePoint = Number.parseInt(text.slice(start, end), hex ? 16 : 10);
  codePoint = WINDOWS_1252.get(codePoint) ?? codePoint;
  const valid = codePoint > 0 && codePoint <= 0x10ffff && !(codePoint >= 0xd800 && codePoint <= 0xdfff);
  return valid ? { text: String.fromCodePoint(codePoint), end: end + 1 } : null;
}

function isAsciiDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

/** Decodes named (&eacute;) and numeric (&#39; &#x2019;) entities; unknown or malformed ones stay as typed. */
/** Texts remembered per scanning function; cleared when full, so memory stays bounded. */
const REMEMBERED_TEXTS = 256;

/**
 * Remembers a text scan's answers: every variant of a product (and every channel) asks the same
 * question about the same description and titles, and the scans are the costly part of a check.
 */
function remembered<T>(scan: (text: string) => T): (text: string) => T {
  const answers = new Map<string, T>();
  return (text: string): T => {
    const known = answers.get(text);
    if (known !== undefined || answers.has(text)) return known as T;
    if (answers.size >= REMEMBERED_TEXTS) answers.clear();
    const answer = scan(text);
    answers.set(text, answer);
    return answer;
  };
}

export function decodeEntities(text: string): string {
  let at = text.indexOf("&");
  if (at < 0) return text;
  let out = "";
  let copied = 0;
  while (at >= 0) {
    const entity = decodeEntityAt(text, at);
    if (entity) {
      out += text.slice(copied, at) + entity.text;
      copied = entity.end;
      at = text.indexOf("&", entity.end);
    } else {
      at = text.indexOf("&", at + 1);
    }
  }
  return out + text.slice(copied);
}

// ---------------------------------------------------------------------------------------------
// Character classes

const enum CharClass {
  Text,
  Space,
  /** Invisible or control characters that must not reach a feed. */
  Drop,
}

/**
 * How a UTF-16 unit behaves in plain text. nbsp and the typographic spaces are spaces; zero-width
 * characters, the soft hyphen, BOM and C0/C1 controls are dropped. Joiners (ZWJ/ZWNJ) stay: scripts
 * such as Devanagari and emoji sequences need them.
 */
function classify(code: number, nbspIsSpace: boolean): CharClass {
  if (code > 0x20 && code < 0x7f) return CharClass.Text;
  if (code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d || code === 0x0c) return CharClass.Space;
  if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) return CharClass.Drop;
  if (code === 0xa0) return nbspIsSpace ? CharClass.Space : CharClass.Text;
  if (code === 0xad || code === 0x200b || code === 0xfeff || code === 0x2060) return CharClass.Drop;
  if (code === 0x1680 || (code >= 0x2000 && code <= 0x200a) || code === 0x2028 || code === 0x2029 || code === 0x202f || code === 0x205f || code === 0x3000) {
    return nbspIsSpace ? CharClass.Space : CharClass.Text;
  }
  return CharClass.Text;
}

// ---------------------------------------------------------------------------------------------
// Tag scanning shared by stripHtml and sanitizeRichHtml

/** Elements whose content is never text a shopper should read. */
const DROPPED_WITH_CONTENT: ReadonlySet<string> = new Set([
  "script", "style", "iframe", "noscript", "template", "svg", "math", "object", "canvas", "video", "audio",
  "head", "title", "select", "button", "textarea",
]);

/** Elements that start a new line in plain text. */
const BLOCK_TAGS: ReadonlySet<string> = new Set([
  "address", "article", "aside", "blockquote", "br", "caption", "dd", "details", "div", "dl", "dt", "fieldset",
  "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main",
  "nav", "ol", "p", "pre", "section", "summary", "table", "tbody", "tfoot", "thead", "tr", "ul",
]);

const CELL_TAGS: ReadonlySet<string> = new Set(["td", "th"]);
const VOID_TAGS: ReadonlySet<string> = new Set(["br", "hr", "img", "wbr", "input", "meta", "link", "source", "embed", "col", "area", "base", "param", "track"]);

interface Tag {
  /** Lower-case element name. */
  name: string;
  closing: boolean;
  selfClosing: boolean;
  /** Range of the attribute text inside the tag. */
  attrsStart: number;
  attrsEnd: number;
  /** Index just after the tag's ">". */
  end: number;
}

/** What the scanner found at a "<": a tag, markup to skip (comments, doctypes), or plain text. */
type Markup = { kind: "tag"; tag: Tag } | { kind: "skip"; end: number } | { kind: "text" };

function isAsciiLetter(code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

function isNameChar(code: number): boolean {
  return isAsciiAlnum(code) || code === 45 /* - */ || code === 58 /* : */ || code === 95 /* _ */;
}

/**
 * Walks a document's markup. Keeps the state that makes the whole scan linear: once a quoted
 * attribute runs to the end of the document, quotes are ignored from then on; once no ">" is left,
 * every later "<" is text.
 */
class MarkupScanner {
  private quotesReliable = true;
  private noMoreTags = false;

  constructor(private readonly html: string) {}

  /** Reads the markup starting at `html[at] === "<"`. */
  read(at: number): Markup {
    const html = this.html;
    if (this.noMoreTags) return { kind: "text" };
    const next = html.charCodeAt(at + 1);
    if (next === 33 /* ! */) {
      if (html.startsWith("<!--", at)) {
        const close = html.indexOf("-->", at + 4);
        return { kind: "skip", end: close < 0 ? html.length : close + 3 };
      }
      return this.skipToGreaterThan(at);
    }
    if (next === 63 /* ? */) return this.skipToGreaterThan(at);
    const closing = next === 47; /* / */
    const nameStart = at + (closing ? 2 : 1);
    if (!isAsciiLetter(html.charCodeAt(nameStart))) {
      // "</ 3>" is a bogus comment to browsers; "a < b" and "<3" are text.
      return closing ? this.skipToGreaterThan(at) : { kind: "text" };
    }
    let nameEnd = nameStart + 1;
    while (nameEnd < html.length && isNameChar(html.charCodeAt(nameEnd))) nameEnd += 1;
    const gt = this.findTagEnd(nameEnd);
    if (gt < 0) return { kind: "text" };
    const selfClosing = html.charCodeAt(gt - 1) === 47; /* / */
    const tag: Tag = {
      name: html.slice(nameStart, nameEnd).toLowerCase(),
      closing,
      selfClosing,
      attrsStart: nameEnd,
      attrsEnd: selfClosing ? gt - 1 : gt,
      end: gt + 1,
    };
    return { kind: "tag", tag };
  }

  /** Index after the closing tag of a dropped element (`</script>`), or the document's end. */
  skipElement(name: string, from: number): number {
    const html = this.html;
    let at = html.indexOf("</", from);
    while (at >= 0) {
      const candidate = html.slice(at + 2, at + 2 + name.length).toLowerCase();
      if (candidate === name && !isNameChar(html.charCodeAt(at + 2 + name.length))) {
        const gt = html.indexOf(">", at);
        return gt < 0 ? html.length : gt + 1;
      }
      at = html.indexOf("</", at + 2);
    }
    return html.length;
  }

  private skipToGreaterThan(at: number): Markup {
    const gt = this.html.indexOf(">", at);
    if (gt < 0) {
      this.noMoreTags = true;
      return { kind: "text" };
    }
    return { kind: "skip", end: gt + 1 };
  }

  /** The ">" ending a tag whose attributes start at `from`, honouring quoted values; -1 when none. */
  private findTagEnd(from: number): number {
    const html = this.html;
    if (this.quotesReliable) {
      let quote = 0;
      // Only a quote right after "=" opens a value: the apostrophe in alt=Women's does not.
      let afterEquals = false;
      for (let i = from; i < html.length; i += 1) {
        const code = html.charCodeAt(i);
        if (quote !== 0) {
          if (code === quote) quote = 0;
          continue;
        }
        if ((code === 34 || code === 39) && afterEquals) {
          quote = code;
        } else if (code === 62 /* > */) {
          return i;
        }
        if (code !== 32 && code !== 9 && code !== 10 && code !== 13) afterEquals = code === 61; /* = */
      }
      if (quote === 0) {
        this.noMoreTags = true;
        return -1;
      }
      this.quotesReliable = false;
    }
    const gt = html.indexOf(">", from);
    if (gt < 0) this.noMoreTags = true;
    return gt;
  }
}

// ---------------------------------------------------------------------------------------------
// HTML → plain text

/** Builds plain text: words joined by single spaces, blocks on their own lines, list items bulleted. */
class PlainTextWriter {
  private out = "";
  private lineHasText = false;
  private pendingSpace = false;
  private pendingBreak = false;
  private pendingBullet = false;
  private pendingCell = false;

  space(): void {
    this.pendingSpace = true;
  }

  lineBreak(): void {
    if (this.out.length > 0) this.pendingBreak = true;
  }

  bullet(): void {
    this.lineBreak();
    this.pendingBullet = true;
  }

  cell(): void {
    this.pendingCell = true;
  }

  /** Appends a run of visible characters (no whitespace inside). */
  word(run: string): void {
    if (run.length === 0) return;
    if (this.pendingBreak) {
      this.out += "\n";
      this.lineHasText = false;
      this.pendingBreak = false;
    }
    if (this.pendingBullet) {
      this.out += "• ";
      this.pendingBullet = false;
    } else if (this.lineHasText && this.pendingCell) {
      this.out += " | ";
    } else if (this.lineHasText && this.pendingSpace) {
      this.out += " ";
    }
    this.pendingSpace = false;
    this.pendingCell = false;
    this.out += run;
    this.lineHasText = true;
  }

  result(): string {
    return this.out;
  }
}

/** Where writeText delivers its pieces: the plain and the rich text writers both are one. */
interface TextSink {
  space(): void;
  word(run: string): void;
}

/**
 * Appends `text[start, end)` to a writer: entities decoded, whitespace collapsed, invisible and control
 * characters dropped. `sink` receives the pieces in order.
 */
function writeText(text: string, start: number, end: number, nbspIsSpace: boolean, sink: TextSink): void {
  let runStart = start;
  let run = "";
  const flush = (upTo: number): void => {
    run += text.slice(runStart, upTo);
    if (run.length > 0) sink.word(run);
    run = "";
  };
  let i = start;
  while (i < end) {
    const code = text.charCodeAt(i);
    if (code === 38 /* & */) {
      const entity = decodeEntityAt(text, i);
      if (entity && entity.end <= end) {
        run += text.slice(runStart, i);
        const decodedClass = entity.text.length === 1 ? classify(entity.text.charCodeAt(0), nbspIsSpace) : CharClass.Text;
        if (decodedClass === CharClass.Space) {
          if (run.length > 0) sink.word(run);
          run = "";
          sink.space();
        } else if (decodedClass === CharClass.Text) {
          run += entity.text;
        }
        i = entity.end;
        runStart = i;
        continue;
      }
      i += 1;
      continue;
    }
    const charClass = classify(code, nbspIsSpace);
    if (charClass === CharClass.Text) {
      i += 1;
      continue;
    }
    flush(i);
    if (charClass === CharClass.Space) sink.space();
    i += 1;
    runStart = i;
  }
  flush(end);
}

/**
 * Walks a document once, in order: the text between tags goes to `sink` through writeText, each tag to
 * `onTag`. Comments and doctypes are skipped, and script, style and iframe are dropped with their
 * content before `onTag` could see them. Linear in the input's length.
 */
function walkMarkup(html: string, nbspIsSpace: boolean, sink: TextSink, onTag: (tag: Tag) => void): void {
  const scanner = new MarkupScanner(html);
  let i = 0;
  let textStart = 0;
  while (i < html.length) {
    const lt = html.indexOf("<", i);
    if (lt < 0) break;
    const markup = scanner.read(lt);
    if (markup.kind === "text") {
      i = lt + 1;
      continue;
    }
    writeText(html, textStart, lt, nbspIsSpace, sink);
    if (markup.kind === "skip") {
      i = markup.end;
    } else {
      const { tag } = markup;
      if (!tag.closing && !tag.selfClosing && DROPPED_WITH_CONTENT.has(tag.name)) {
        i = scanner.skipElement(tag.name, tag.end);
      } else {
        onTag(tag);
        i = tag.end;
      }
    }
    textStart = i;
  }
  writeText(html, textStart, html.length, nbspIsSpace, sink);
}

/**
 * Plain text from a description's HTML: entities decoded; p, div, br, li, headings and table rows
 * become line breaks ("• " before list items); script, style and iframe content dropped; runs of
 * whitespace collapsed; trimmed. Linear in the input's length.
 */
export function stripHtml(html: string): string {
  if (html.length === 0) return "";
  const writer = new PlainTextWriter();
  walkMarkup(html, true, writer, (tag) => {
    if (tag.name === "li" && !tag.closing) {
      writer.bullet();
    } else if (BLOCK_TAGS.has(tag.name)) {
      writer.lineBreak();
    } else if (CELL_TAGS.has(tag.name) && !tag.closing) {
      writer.cell();
    }
  });
  return writer.result();
}

// ---------------------------------------------------------------------------------------------
// HTML → sanitised rich text

/** Meta's rich_text_description: basic structure and emphasis (the accepted set is unconfirmed; keep it small). */
export const META_RICH_TEXT_TAGS: ReadonlySet<string> = new Set(["p", "br", "ul", "ol", "li", "strong", "b", "em", "i", "u", "h1", "h2", "h3", "h4", "h5", "h6"]);

/** TikTok Shop product descriptions (Partner API 202309): exactly these, no nesting of blocks. */
export const TIKTOK_DESCRIPTION_TAGS: ReadonlySet<string> = new Set(["p", "img", "ul", "ol", "li", "br", "strong", "b", "i", "em", "u"]);

export interface SanitizeOptions {
  /** TikTok: no block inside another block (lists stay one level, no p in li); inline tags only inside p or li. */
  flattenNesting?: boolean;
  /** Keep `<img src width height>`; defaults to whether `img` is an allowed tag. */
  allowImages?: boolean;
}

const LIST_TAGS: ReadonlySet<string> = new Set(["ul", "ol"]);
/** Blocks that hold inline content (text, emphasis); anything else allowed is inline. */
const CONTENT_BLOCKS: ReadonlySet<string> = new Set(["p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "div", "pre", "dt", "dd"]);
/** Deeper nesting than this is flattened away: keeps closing-tag matching cheap on hostile input. */
const MAX_OPEN_TAGS = 32;

function isBlock(name: string): boolean {
  return BLOCK_TAGS.has(name) || name === "td" || name === "th";
}

function escapeText(text: string): string {
  let out = "";
  let copied = 0;
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    const replacement = code === 38 ? "&amp;" : code === 60 ? "&lt;" : code === 62 ? "&gt;" : null;
    if (replacement) {
      out += text.slice(copied, i) + replacement;
      copied = i + 1;
    }
  }
  return copied === 0 ? text : out + text.slice(copied);
}

function escapeAttribute(value: string): string {
  return escapeText(value).replace(/"/g, "&quot;");
}

/** Attributes of one tag, names lower-cased, values entity-decoded. */
function parseAttributes(html: string, start: number, end: number): Map<string, string> {
  const attributes = new Map<string, string>();
  let i = start;
  while (i < end) {
    while (i < end && !isAsciiLetter(html.charCodeAt(i))) i += 1;
    const nameStart = i;
    while (i < end && isNameChar(html.charCodeAt(i))) i += 1;
    if (i === nameStart) break;
    const name = html.slice(nameStart, i).toLowerCase();
    while (i < end && html.charCodeAt(i) === 32) i += 1;
    if (html.charCodeAt(i) !== 61 /* = */) {
      attributes.set(name, "");
      continue;
    }
    i += 1;
    while (i < end && html.charCodeAt(i) === 32) i += 1;
    const quote = html.charCodeAt(i);
    let valueStart = i;
    let valueEnd: number;
    if (quote === 34 || quote === 39) {
      valueStart = i + 1;
      const close = html.indexOf(String.fromCharCode(quote), valueStart);
      valueEnd = close < 0 || close > end ? end : close;
      i = valueEnd + 1;
    } else {
      while (i < end && classify(html.charCodeAt(i), true) !== CharClass.Space) i += 1;
      valueEnd = i;
    }
    if (!attributes.has(name)) attributes.set(name, decodeEntities(html.slice(valueStart, valueEnd)).trim());
  }
  return attributes;
}

/** An absolute http(s) URL, protocol-relative ones upgraded to https; null for anything else (javascript:, data:). */
function safeUrl(raw: string | undefined, schemes: readonly string[]): string | null {
  if (!raw) return null;
  const url = raw.startsWith("//") ? `https:${raw}` : raw;
  const lower = url.slice(0, 8).toLowerCase();
  return schemes.some((scheme) => lower.startsWith(scheme)) && !/\s/.test(url) ? url : null;
}

const DIMENSION = /^\d{1,5}$/;

/**
 * Writes sanitised HTML while tracking the open elements. Only allowed tags are ever emitted, without
 * attributes (except img src/width/height and a href), text is re-escaped, and everything opened is
 * closed. Top-level text is wrapped in `<p>` when p is allowed, so blocks never run together.
 */
class RichTextWriter {
  private out = "";
  private readonly open: string[] = [];
  /** Tags seen but not emitted (nested lists under flattenNesting), so their closing tags are ignored too. */
  private readonly ignored = new Map<string, number>();
  private pendingSpace = false;
  /**
   * Line breaks waiting for content in the same block (`<br>`, or a dropped block inside one that stays
   * open): written before the next content, dropped at the block's end. At most two (one blank line).
   */
  private pendingBreaks = 0;
  private blockHasContent = false;
  private hasContent = false;

  constructor(
    private readonly allowed: ReadonlySet<string>,
    private readonly flatten: boolean,
    private readonly allowImages: boolean,
  ) {}

  // -- text

  space(): void {
    this.pendingSpace = true;
  }

  word(run: string): void {
    this.ensureInlineContext();
    this.flushSeparators();
    this.out += escapeText(run);
    this.blockHasContent = true;
    this.hasContent = true;
  }

  // -- tags

  openTag(name: string, html: string, tag: Tag): void {
    if (name === "img") return this.image(html, tag);
    if (name === "br") return this.lineBreakTag();
    if (!this.allowed.has(name)) {
      if (isBlock(name)) this.boundary(name);
      return;
    }
    if (name === "hr") return this.rule();
    if (VOID_TAGS.has(name)) return;
    if (LIST_TAGS.has(name)) return this.openList(name);
    if (name === "li") return this.openListItem();
    if (CONTENT_BLOCKS.has(name) || isBlock(name)) return this.openContentBlock(name);
    this.openInline(name, html, tag);
  }

  closeTag(name: string): void {
    const ignoredCount = this.ignored.get(name) ?? 0;
    if (ignoredCount > 0) {
      this.ignored.set(name, ignoredCount - 1);
      if (isBlock(name)) this.boundary(name);
      return;
    }
    if (!this.allowed.has(name)) {
      if (isBlock(name)) this.boundary(name);
      return;
    }
    const index = this.open.lastIndexOf(name);
    if (index >= 0) this.closeDownTo(index);
  }

  result(): string {
    this.closeDownTo(0);
    return this.hasContent ? this.out : "";
  }

  // -- structure

  private openList(name: string): void {
    if (this.flatten && this.open.some((tag) => LIST_TAGS.has(tag))) {
      this.ignore(name);
      return;
    }
    this.closeParagraphs();
    this.push(name);
  }

  private openListItem(): void {
    const listIndex = this.nearestIndex(LIST_TAGS);
    if (listIndex < 0) {
      if (!this.allowed.has("ul")) return this.boundary("li");
      this.closeParagraphs();
      this.push("ul");
    } else {
      // A new item closes the previous one (and, when flattening, any item of a nested list).
      const itemIndex = this.open.indexOf("li", listIndex);
      if (itemIndex >= 0) this.closeDownTo(itemIndex);
      else this.closeDownTo(listIndex + 1);
    }
    this.push("li");
  }

  private openContentBlock(name: string): void {
    if (this.flatten && this.open.length > 0) {
      // No block inside another: inside a list item it only separates lines.
      if (this.open.includes("li")) {
        this.ignore(name);
        this.boundary(name);
        return;
      }
      this.closeDownTo(0);
    } else {
      this.closeParagraphs();
    }
    this.push(name);
  }

  private openInline(name: string, html: string, tag: Tag): void {
    this.ensureInlineContext();
    if (this.flatten && !this.insideContentBlock()) return;
    this.flushSeparators();
    let attributes = "";
    if (name === "a") {
      const href = safeUrl(parseAttributes(html, tag.attrsStart, tag.attrsEnd).get("href"), ["https://", "http://", "mailto:"]);
      if (href) attributes = ` href="${escapeAttribute(href)}"`;
    }
    this.push(name, attributes);
  }

  private image(html: string, tag: Tag): void {
    if (!this.allowImages) return;
    const attributes = parseAttributes(html, tag.attrsStart, tag.attrsEnd);
    const src = safeUrl(attributes.get("src"), ["https://", "http://"]);
    if (!src) return;
    const top = this.open[this.open.length - 1];
    if (top !== undefined && LIST_TAGS.has(top)) this.push("li");
    this.flushSeparators();
    let out = `<img src="${escapeAttribute(src)}"`;
    for (const dimension of ["width", "height"]) {
      const value = attributes.get(dimension)?.replace(/px$/i, "");
      if (value && DIMENSION.test(value)) out += ` ${dimension}="${value}"`;
    }
    this.out += `${out}>`;
    this.hasContent = true;
    this.blockHasContent = true;
  }

  private rule(): void {
    if (this.flatten && this.open.includes("li")) return this.boundary("hr");
    this.closeDownTo(this.flatten ? 0 : Math.max(0, this.nearestIndex(LIST_TAGS) + 1));
    this.out += "<hr>";
  }

  private lineBreakTag(): void {
    if (!this.allowed.has("br")) return this.boundary("br");
    if (this.flatten && !this.insideContentBlock()) return this.boundary("br");
    if (this.open.length === 0 && this.allowed.has("p")) return this.boundary("br");
    if (this.blockHasContent) this.pendingBreaks = Math.min(2, this.pendingBreaks + 1);
  }

  /**
   * A block started or ended that is not emitted itself (a dropped div, a p inside a flattened list
   * item): the text after it must not run into the text before it.
   */
  private boundary(name: string): void {
    if (name === "td" || name === "th") {
      this.pendingSpace = true;
      return;
    }
    const paragraph = this.nearestIndex(CONTENT_BLOCKS);
    if (paragraph >= 0 && this.open[paragraph] !== "li" && !(this.flatten && this.open.includes("li"))) {
      this.closeDownTo(paragraph);
      return;
    }
    if (this.blockHasContent) this.pendingBreaks = Math.max(1, this.pendingBreaks);
  }

  /** Text or inline markup is about to be written: open the `<p>` or `<li>` it must sit in. */
  private ensureInlineContext(): void {
    const top = this.open[this.open.length - 1];
    if (top !== undefined && LIST_TAGS.has(top)) {
      this.push("li");
      return;
    }
    if (this.open.length === 0 && this.allowed.has("p")) this.push("p");
  }

  private insideContentBlock(): boolean {
    return this.nearestIndex(CONTENT_BLOCKS) >= 0;
  }

  private flushSeparators(): void {
    if (this.pendingBreaks > 0 && this.blockHasContent) {
      if (this.allowed.has("br")) {
        this.out += this.pendingBreaks === 1 ? "<br>" : "<br><br>";
        this.pendingSpace = false;
      } else {
        this.pendingSpace = true;
      }
    }
    this.pendingBreaks = 0;
    if (this.pendingSpace && this.blockHasContent) this.out += " ";
    this.pendingSpace = false;
  }

  private closeParagraphs(): void {
    const paragraph = this.nearestIndex(CONTENT_BLOCKS);
    if (paragraph >= 0 && this.open[paragraph] !== "li") this.closeDownTo(paragraph);
  }

  private push(name: string, attributes = ""): void {
    if (this.open.length >= MAX_OPEN_TAGS) {
      this.ignore(name);
      return;
    }
    if (isBlock(name)) {
      this.pendingSpace = false;
      this.pendingBreaks = 0;
      this.blockHasContent = false;
    }
    this.out += `<${name}${attributes}>`;
    this.open.push(name);
  }

  private ignore(name: string): void {
    this.ignored.set(name, (this.ignored.get(name) ?? 0) + 1);
  }

  /** Closes every open element from the top of the stack down to (and including) `index`. */
  private closeDownTo(index: number): void {
    while (this.open.length > index) {
      const name = this.open.pop() as string;
      if (isBlock(name)) {
        // What follows a closed block starts fresh: no leading space, no extra break.
        this.pendingSpace = false;
        this.pendingBreaks = 0;
        this.blockHasContent = false;
      }
      this.out += `</${name}>`;
    }
  }

  private nearestIndex(names: ReadonlySet<string>): number {
    for (let i = this.open.length - 1; i >= 0; i -= 1) {
      if (names.has(this.open[i] as string)) return i;
    }
    return -1;
  }
}

/**
 * A sanitised copy of rich text: only `allowedTags` survive, without attributes (img keeps src, width
 * and height when images are allowed; a keeps an http(s) or mailto href); script, style and iframe are
 * dropped with their content; stray `< & >` are escaped; every element is closed. Returns "" when
 * nothing visible is left.
 */
export function sanitizeRichHtml(html: string, allowedTags: ReadonlySet<string>, options: SanitizeOptions = {}): string {
  if (html.length === 0) return "";
  const writer = new RichTextWriter(allowedTags, options.flattenNesting ?? false, options.allowImages ?? allowedTags.has("img"));
  walkMarkup(html, false, writer, (tag) => {
    if (tag.closing) {
      writer.closeTag(tag.name);
    } else {
      writer.openTag(tag.name, html, tag);
      if (tag.selfClosing && !VOID_TAGS.has(tag.name)) writer.closeTag(tag.name);
    }
  });
  return writer.result();
}

// ---------------------------------------------------------------------------------------------
// Lengths and truncation

/** Length in Unicode code points, which is how the channels count characters (an emoji is one, not two). */
export function charLength(text: string): number {
  let count = text.length;
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        count -= 1;
        i += 1;
      }
    }
  }
  return count;
}

/** UTF-16 index just after the first `codePoints` code points (never inside a surrogate pair). */
function indexAfterCodePoints(text: string, codePoints: number): number {
  let index = 0;
  for (let counted = 0; counted < codePoints && index < text.length; counted += 1) {
    const code = text.charCodeAt(index);
    const next = text.charCodeAt(index + 1);
    index += code >= 0xd800 && code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff ? 2 : 1;
  }
  return index;
}

/** A cut at a word boundary must keep at least this share of the limit; otherwise the word is cut. */
const MIN_WORD_CUT_SHARE = 0.6;
const TRAILING_JUNK = /[\s\p{P}\p{Sm}]/u;

function isWhitespaceUnit(code: number): boolean {
  return classify(code, true) === CharClass.Space;
}

/** Drops whitespace and dangling punctuation (", - ( :") from the end of a cut. */
function trimCutEnd(text: string, end: number): number {
  let cut = end;
  while (cut > 0) {
    const code = text.charCodeAt(cut - 1);
    const isLowSurrogate = code >= 0xdc00 && code <= 0xdfff;
    const width = isLowSurrogate && cut >= 2 ? 2 : 1;
    const char = text.slice(cut - width, cut);
    if (!TRAILING_JUNK.test(char)) break;
    cut -= width;
  }
  return cut;
}

/**
 * Shortens `text` to at most `maxChars` code points. Cuts at the last whitespace before the limit when
 * that keeps at least 60% of it, else mid-word; never splits a surrogate pair; leaves no trailing space
 * or punctuation. Text within the limit comes back unchanged.
 */
export function truncateAtWord(text: string, maxChars: number): string {
  if (maxChars <= 0) return "";
  if (text.length <= maxChars || charLength(text) <= maxChars) return text;
  const hardEnd = indexAfterCodePoints(text, maxChars);
  let cut = hardEnd;
  // Whitespace right at the limit means the word before it is whole.
  if (!isWhitespaceUnit(text.charCodeAt(hardEnd))) {
    let space = hardEnd - 1;
    while (space > 0 && !isWhitespaceUnit(text.charCodeAt(space))) space -= 1;
    if (space > 0 && charLength(text.slice(0, space)) >= maxChars * MIN_WORD_CUT_SHARE) cut = space;
  }
  const trimmed = trimCutEnd(text, cut);
  if (trimmed > 0) return text.slice(0, trimmed);
  // Nothing but punctuation before the cut: keep the hard cut, only without trailing whitespace.
  let end = hardEnd;
  while (end > 0 && isWhitespaceUnit(text.charCodeAt(end - 1))) end -= 1;
  return text.slice(0, end);
}

// ---------------------------------------------------------------------------------------------
// ALL CAPS

/** Words shorter than this are often acronyms (USB, XL, UK) and do not count towards ALL CAPS. */
const MIN_COUNTED_WORD = 4;
const MIN_CAPS_WORDS = 2;
const MIN_CAPS_LETTERS = 8;
const MAX_CAPS_SHARE = 0.8;

/** +1 upper-case letter, -1 lower-case letter, 0 uncased (digits, CJK, punctuation). */
function letterCase(char: string): 1 | -1 | 0 {
  const code = char.charCodeAt(0);
  if (code >= 65 && code <= 90) return 1;
  if (code >= 97 && code <= 122) return -1;
  if (code < 0xc0) return 0;
  const lower = char.toLowerCase();
  const upper = char.toUpperCase();
  if (lower === upper) return 0;
  return char === upper ? 1 : -1;
}

/**
 * Whether text is written in capitals ("LINEN SHIRT FOR WOMEN"): among letters of words of four or
 * more cased letters, more than 80% are upper case, over at least two such words or eight letters.
 * Acronyms and model names ("USB-C Cable", "XL", "TV") are fine.
 */
export const isAllCaps = remembered(function isAllCaps(text: string): boolean {
  let words = 0;
  let letters = 0;
  let upper = 0;
  let wordLetters = 0;
  let wordUpper = 0;
  const endWord = (): void => {
    if (wordLetters >= MIN_COUNTED_WORD) {
      words += 1;
      letters += wordLetters;
      upper += wordUpper;
    }
    wordLetters = 0;
    wordUpper = 0;
  };
  for (const char of text) {
    const kind = letterCase(char);
    if (kind === 0) {
      endWord();
      continue;
    }
    wordLetters += 1;
    if (kind === 1) wordUpper += 1;
  }
  endWord();
  if (words < MIN_CAPS_WORDS && letters < MIN_CAPS_LETTERS) return false;
  return upper / letters > MAX_CAPS_SHARE;
});

// ---------------------------------------------------------------------------------------------
// Promotional text

/**
 * Phrases the channels reject in titles and descriptions as promotional, in the languages of the
 * shops we serve. Matched as whole words, case-insensitively; regex fragments allowed.
 */
const PROMO_PHRASES: readonly string[] = [
  // English
  "free shipping", "free delivery", "ships free", "free gift", "on sale", "sale", "clearance", "discount",
  "discounted", "\\d{1,3}\\s?% off", "\\d{1,3}\\s?percent off", "save \\d{1,3}\\s?%", "buy one get one",
  "buy 1 get 1", "bogo", "best price", "lowest price", "cheapest", "cheap", "limited time", "limited offer",
  "special offer", "hot deal", "deal of the day", "promo code", "coupon", "bargain", "price drop",
  // German
  "kostenloser versand", "gratis versand", "versandkostenfrei", "sonderangebot", "angebot", "rabatt",
  "ausverkauf", "schnäppchen", "billig", "bester preis", "reduziert",
  // French
  "livraison gratuite", "livraison offerte", "soldes", "promo", "promotion", "réduction", "remise",
  "prix cassé", "meilleur prix", "pas cher",
  // Spanish and Portuguese
  "envío gratis", "envio gratis", "oferta", "descuento", "rebajas", "mejor precio", "barato",
  "frete grátis", "frete gratis", "desconto", "promoção", "promocao", "liquidação",
  // Italian and Dutch
  "spedizione gratuita", "sconto", "saldi", "offerta", "gratis verzending", "korting", "aanbieding", "uitverkoop",
  // Indonesian and Malay
  "gratis ongkir", "diskon", "murah", "harga terbaik", "obral", "potongan harga", "cuci gudang",
];

/** One pass over the text for every phrase; "sale" must not match "wholesale". */
const PROMO_PATTERN = new RegExp(`(?<![\\p{L}\\p{N}])(?:${PROMO_PHRASES.map((phrase) => phrase.replace(/ /g, "\\s+")).join("|")})(?![\\p{L}\\p{N}])`, "iu");

/** The first promotional phrase in `text`, as written ("Free Shipping", "20% OFF"), or null. */
export const findPromoText = remembered((text: string): string | null => PROMO_PATTERN.exec(text)?.[0] ?? null);

// ---------------------------------------------------------------------------------------------
// Emoji, Chinese characters, control characters

/**
 * A pictograph, except ©, ® and ™, which are legal marks in product names unless written with the
 * emoji presentation selector (U+FE0F).
 */
const PICTOGRAPH = "(?:[\\u00A9\\u00AE\\u2122]\\uFE0F|(?![\\u00A9\\u00AE\\u2122])\\p{Extended_Pictographic}|[\\u{1F1E6}-\\u{1F1FF}])";
/** Skin tones, presentation selectors and tag characters (subdivision flags) that follow a pictograph. */
const EMOJI_MODIFIERS = "(?:[\\u{1F3FB}-\\u{1F3FF}]|[\\u{E0020}-\\u{E007F}]|\\uFE0E|\\uFE0F|\\u20E3)*";
const EMOJI_UNIT = `${PICTOGRAPH}${EMOJI_MODIFIERS}`;
const KEYCAP = "[#*0-9]\\uFE0F?\\u20E3";
const EMOJI_SOURCE = `${KEYCAP}|${EMOJI_UNIT}(?:\\u200D${EMOJI_UNIT})*`;
const EMOJI_TEST = new RegExp(EMOJI_SOURCE, "u");
const EMOJI_GLOBAL = new RegExp(EMOJI_SOURCE, "gu");

export function containsEmoji(text: string): boolean {
  return EMOJI_TEST.test(text);
}

/** Removes emoji (with their joiners and modifiers) and tidies the spaces they leave behind. */
export function removeEmoji(text: string): string {
  if (!EMOJI_TEST.test(text)) return text;
  return tidySpaces(text.replace(EMOJI_GLOBAL, ""));
}

const HAN_TEST = /\p{Script=Han}/u;
const HAN_GLOBAL = /\p{Script=Han}+/gu;

/** Whether text contains Chinese (Han) characters, which TikTok Shop rejects in titles and descriptions. */
export function containsCjk(text: string): boolean {
  return HAN_TEST.test(text);
}

/** Removes Chinese (Han) characters and tidies the spaces left behind. */
export function removeCjk(text: string): string {
  if (!HAN_TEST.test(text)) return text;
  return tidySpaces(text.replace(HAN_GLOBAL, " "));
}

function isControlChar(code: number): boolean {
  return (code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d) || (code >= 0x7f && code <= 0x9f);
}

/** Removes C0 and C1 control characters except tab, line feed and carriage return. */
export function removeControlChars(text: string): string {
  let out = "";
  let copied = 0;
  for (let i = 0; i < text.length; i += 1) {
    if (isControlChar(text.charCodeAt(i))) {
      out += text.slice(copied, i);
      copied = i + 1;
    }
  }
  return copied === 0 ? text : out + text.slice(copied);
}

// ---------------------------------------------------------------------------------------------
// Off-platform contact details

const TOP_LEVEL_DOMAINS = [
  "com", "net", "org", "info", "biz", "shop", "store", "online", "site", "io", "co", "me", "app", "xyz",
  "us", "uk", "de", "fr", "es", "it", "nl", "be", "at", "ch", "se", "no", "dk", "fi", "pl", "pt", "ie",
  "id", "my", "sg", "ph", "th", "vn", "au", "nz", "ca", "br", "mx", "jp", "kr", "cn", "in",
].join("|");

const CONTACT_PATTERN = new RegExp(
  [
    "(?<email>(?<![\\p{L}\\p{N}._%+-])[\\p{L}\\p{N}._%+-]{1,64}@[\\p{L}\\p{N}-]{1,63}(?:\\.[\\p{L}\\p{N}-]{1,63}){0,8}\\.\\p{L}{2,24})",
    "(?<url>(?:https?:\\/\\/|www\\.)[^\\s<>\"]+|(?<![\\p{L}\\p{N}@.-])[\\p{L}\\p{N}-]{1,63}(?:\\.[\\p{L}\\p{N}-]{1,63}){0,8}\\.(?:" + TOP_LEVEL_DOMAINS + ")(?:\\/[^\\s<>\"]*)?(?![\\p{L}\\p{N}]))",
    "(?<phone>(?<![\\p{L}\\p{N}+])(?:\\+|00)?\\(?\\d[\\d\\s().-]{7,18}\\d(?![\\p{L}\\p{N}]))",
  ].join("|"),
  "giu",
);

const MIN_PHONE_DIGITS = 9;
const MAX_PHONE_DIGITS = 15;

/**
 * Whether a run of digits reads as a phone number: 9–15 digits, and either written internationally
 * (+44, 0044) or grouped with separators. A bare run of digits is a barcode or a code, not a phone.
 */
function looksLikePhone(candidate: string): boolean {
  let digits = 0;
  for (let i = 0; i < candidate.length; i += 1) {
    if (isAsciiDigit(candidate.charCodeAt(i))) digits += 1;
  }
  if (digits < MIN_PHONE_DIGITS || digits > MAX_PHONE_DIGITS) return false;
  if (candidate.startsWith("+")) return true;
  return digits !== candidate.length;
}

/**
 * The first URL, email address or phone number in `text`, or null: Meta rejects descriptions that
 * send shoppers off the platform.
 */
export const findOffPlatformContact = remembered(function findOffPlatformContact(text: string): string | null {
  CONTACT_PATTERN.lastIndex = 0;
  for (let match = CONTACT_PATTERN.exec(text); match; match = CONTACT_PATTERN.exec(text)) {
    const groups = match.groups ?? {};
    if (groups.email) return groups.email;
    if (groups.url) return groups.url.replace(/[.,;:!?)]+$/, "");
    if (groups.phone && looksLikePhone(groups.phone.trim())) return groups.phone.trim();
  }
  return null;
});

// ---------------------------------------------------------------------------------------------
// Whitespace and case

const WHITESPACE_RUN = /[\s\u00A0\u2000-\u200A\u202F\u205F\u3000]+/g;

/** Every run of whitespace (line breaks and non-breaking spaces included) becomes one space; trimmed. */
export function collapseWhitespace(text: string): string {
  return text.replace(WHITESPACE_RUN, " ").trim();
}

/** Collapses spaces within lines and trims lines, keeping line breaks (what removals leave behind). */
function tidySpaces(text: string): string {
  return text
    .replace(/[^\S\n]+/g, " ")
    .replace(/ ?\n ?/g, "\n")
    .trim();
}

/** English words that stay lower case inside a title ("Shirt with Pocket"). */
const MINOR_WORDS: ReadonlySet<string> = new Set(["a", "an", "and", "as", "at", "but", "by", "for", "in", "nor", "of", "on", "or", "per", "the", "to", "vs", "via", "with"]);
const WORD = /[\p{L}\p{N}'’]+/gu;

function capitalize(word: string): string {
  const first = word.codePointAt(0) ?? 0;
  const width = first > 0xffff ? 2 : 1;
  return word.slice(0, width).toUpperCase() + word.slice(width);
}

/** Words whose case carries meaning: acronyms (USB), mixed case (iPhone, McCartney). */
function hasUpperAfterFirst(word: string): boolean {
  for (let i = 1; i < word.length; i += 1) {
    if (letterCase(word.charAt(i)) === 1) return true;
  }
  return false;
}

/**
 * "LINEN SHIRT WITH POCKET" → "Linen Shirt with Pocket". Text written entirely in capitals is
 * lower-cased first; otherwise acronyms and mixed-case words (USB-C, iPhone) are kept.
 */
export function toTitleCase(text: string): string {
  const shouting = !/\p{Ll}/u.test(text);
  const source = shouting ? text.toLowerCase() : text;
  let index = 0;
  const words = source.match(WORD)?.length ?? 0;
  return source.replace(WORD, (word) => {
    const position = index;
    index += 1;
    if (!shouting && hasUpperAfterFirst(word)) return word;
    const lower = word.toLowerCase();
    if (position > 0 && position < words - 1 && MINOR_WORDS.has(lower)) return lower;
    return capitalize(lower);
  });
}

const SENTENCE_START = /(^|[.!?]\s+|\n\s*)(\p{Ll})/gu;

/**
 * "Linen Shirt. Made In Portugal." → "Linen shirt. Made in portugal.": words lower-cased, sentence
 * starts capitalised. Acronyms and mixed-case words (USB, iPhone) are kept unless the whole text is
 * in capitals.
 */
export function toSentenceCase(text: string): string {
  const shouting = !/\p{Ll}/u.test(text);
  const source = shouting ? text.toLowerCase() : text.replace(WORD, (word) => (hasUpperAfterFirst(word) ? word : word.toLowerCase()));
  return source.replace(SENTENCE_START, (_match, before: string, letter: string) => `${before}${letter.toUpperCase()}`);
}

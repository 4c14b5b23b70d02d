/**
 * RSS 2.0 feeds with Google's g: namespace (Google Merchant Center, Meta, Pinterest and TikTok ads all
 * read g: fields). One `<item>` per record, every field as `<g:field>`, list values as repeated
 * elements (`<g:additional_image_link>` once per image), every element on a line of its own.
 */
import type { ChannelRecord } from "../channels/types";
import { assertUsableColumns, ownFieldValue, scalarText } from "./record-fields";
import type { FeedSerializer } from "./serializer";

export interface RssOptions {
  flavour: "rss-google";
  /** The RSS channel's title, link and description (the shop's name, storefront URL and a line about the feed). */
  title: string;
  link: string;
  description: string;
  /** Element wrapping each record; "item" unless a channel wants another. */
  itemElement?: string;
  /**
   * Fields written without the g: prefix. Empty by default: every reader accepts g: for every field,
   * while RSS's own un-prefixed title/link/description are read by Google only, so prefixing all is
   * the choice that works everywhere. Kept for a channel that turns out to need the plain form.
   */
  unprefixedFields?: readonly string[];
}

/** Meta rejects an XML feed with any line longer than this (../shared/specs/channels.md, Meta feeds). */
export const XML_MAX_LINE_BYTES = 5_242_880;

const GOOGLE_NAMESPACE = "http://base.google.com/ns/1.0";
const PROLOG = '<?xml version="1.0" encoding="UTF-8"?>\n';

/** Names we accept for elements: ASCII XML names without a colon (the prefix is ours to add). */
const ELEMENT_NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

/**
 * Characters XML 1.0 does not allow in a document at all (its Char production): C0 controls other than
 * TAB, LF and CR; U+FFFE and U+FFFF; and UTF-16 surrogates that are not part of a pair. No escape can
 * carry them (`&#1;` is just as illegal), so they are removed.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const XML_FORBIDDEN = /[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
/**
 * One test per value decides whether any work is needed: markup characters, CR, forbidden characters,
 * or any surrogate (astral characters such as emoji are valid, but a lone surrogate hides among them).
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const NEEDS_ESCAPING = /[&<>"'\r\x00-\x08\x0B\x0C\x0E-\x1F\uD800-\uDFFF\uFFFE\uFFFF]/;
const MARKUP = /[&<>"'\r]/g;
/**
 * CR goes out as a character reference: a parser turns a literal CR (or CRLF) into LF, so only the
 * reference brings it back unchanged.
 */
const ENTITY: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;", "\r": "&#xD;" };

function entityFor(character: string): string {
  return ENTITY[character] ?? character;
}

/**
 * Removes the characters XML 1.0 forbids (see XML_FORBIDDEN). This loses data on purpose: such
 * characters are invisible junk from copy-paste or imports, and one of them makes the whole feed
 * unreadable to the channel.
 */
export function stripXmlForbidden(value: string): string {
  return value.replace(XML_FORBIDDEN, "");
}

/** Text content for an element: forbidden characters removed, & < > " ' and CR escaped. */
export function escapeXmlText(value: string): string {
  if (!NEEDS_ESCAPING.test(value)) return value;
  return stripXmlForbidden(value).replace(MARKUP, entityFor);
}

/** UTF-8 length of the longest line (LF-separated) of a string without lone surrogates. */
function longestLineUtf8Bytes(text: string): number {
  let longest = 0;
  let line = 0;
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if (code === 10) {
      longest = Math.max(longest, line);
      line = 0;
    } else if (code < 0x80) line += 1;
    else if (code < 0x800) line += 2;
    else if (code >= 0xd800 && code <= 0xdbff) {
      line += 4; // a pair (lone surrogates were stripped): one 4-byte character
      i += 1;
    } else line += 3;
  }
  return Math.max(longest, line);
}

/**
 * Throws rather than write a line Meta would reject. UTF-8 needs at most 3 bytes per UTF-16 code unit,
 * so anything shorter than a third of the limit is accepted without counting.
 */
function assertLineFits(element: string, field: string, recordKey: string | null): void {
  if (element.length * 3 <= XML_MAX_LINE_BYTES) return;
  const bytes = longestLineUtf8Bytes(element);
  if (bytes > XML_MAX_LINE_BYTES) {
    const where = recordKey === null ? "the RSS channel" : `record ${JSON.stringify(recordKey)}`;
    throw new RangeError(
      `The value of ${field} in ${where} would make a ${bytes}-byte XML line; channels reject lines over ${XML_MAX_LINE_BYTES} bytes.`,
    );
  }
}

function assertElementName(name: string, what: string): void {
  if (!ELEMENT_NAME.test(name)) throw new TypeError(`${what} ${JSON.stringify(name)} cannot be an XML element name.`);
}

/** `<name>text</name>\n`, or "" when there is nothing to say (empty values are left out, not written empty). */
function textElement(open: string, close: string, value: string, field: string, recordKey: string | null): string {
  if (value === "") return "";
  const text = escapeXmlText(value);
  if (text === "") return "";
  const element = open + text + close;
  assertLineFits(element, field, recordKey);
  return element;
}

/** RSS requires the channel's title, link and description, so they are written even when empty. */
function channelElement(name: string, value: string): string {
  const element = `<${name}>${escapeXmlText(value)}</${name}>\n`;
  assertLineFits(element, `the feed's ${name}`, null);
  return element;
}

export function createRssSerializer(columns: readonly string[], options: RssOptions): FeedSerializer {
  assertUsableColumns(columns);
  const itemElement = options.itemElement ?? "item";
  assertElementName(itemElement, "Item element");
  const unprefixed = new Set(options.unprefixedFields ?? []);
  // Tags are built once per feed, not per value.
  const openTags: string[] = [];
  const closeTags: string[] = [];
  for (const column of columns) {
    assertElementName(column, "Column");
    const name = unprefixed.has(column) ? column : `g:${column}`;
    openTags.push(`<${name}>`);
    closeTags.push(`</${name}>\n`);
  }
  const itemOpen = `<${itemElement}>\n`;
  const itemClose = `</${itemElement}>\n`;
  const headerText =
    `${PROLOG}<rss version="2.0" xmlns:g="${GOOGLE_NAMESPACE}">\n<channel>\n` +
    channelElement("title", options.title) +
    channelElement("link", options.link) +
    channelElement("description", options.description);

  return {
    contentType: "application/xml; charset=utf-8",
    fileExtension: "xml",
    header: () => headerText,
    record(record: ChannelRecord): string {
      const fields = record.fields;
      let xml = itemOpen;
      let index = 0;
      for (const column of columns) {
        const open = openTags[index] ?? "";
        const close = closeTags[index] ?? "";
        index += 1;
        const value = ownFieldValue(fields, column);
        if (Array.isArray(value)) {
          for (const entry of value) xml += textElement(open, close, scalarText(entry, column, record.key), column, record.key);
        } else {
          xml += textElement(open, close, scalarText(value, column, record.key), column, record.key);
        }
      }
      return xml + itemClose;
    },
    footer: () => "</channel>\n</rss>\n",
  };
}

/**
 * Feed serializers: turn ChannelRecords into the bytes of a feed file, one record at a time, so a
 * million-item feed never sits in memory. They are pure string producers; the server pipes
 * `header()`, `record()` for each record, then `footer()` into a Node stream (and gzip).
 *
 * Create one serializer per feed file. CSV, TSV and XML keep no state; the JSON serializer remembers
 * whether a record was written (for the commas) and starts over at header().
 */
import type { ChannelRecord, FeedFormat } from "../channels/types";
import { createDelimitedSerializer } from "./csv";
import { createJsonArraySerializer } from "./json";
import { createRssSerializer, type RssOptions } from "./xml";

export interface FeedSerializer {
  /** HTTP Content-Type of the feed, charset included. */
  contentType: string;
  /** File name extension without the dot ("csv"). */
  fileExtension: string;
  header(): string;
  record(record: ChannelRecord): string;
  footer(): string;
}

export interface FeedSerializerOptions {
  format: FeedFormat;
  /** Column order of flat feeds (ChannelAdapter.columns); ignored by JSON. */
  columns: readonly string[];
  /** Required for XML: the RSS channel's own title, link and description. */
  xml?: RssOptions;
  /**
   * CSV/TSV only: start the file with a UTF-8 byte order mark. Off by default because the channels
   * read UTF-8 without one; some spreadsheet programs need it to guess the encoding when a merchant
   * opens the file by hand.
   */
  bom?: boolean;
}

export function createFeedSerializer(options: FeedSerializerOptions): FeedSerializer {
  switch (options.format) {
    case "csv":
      return createDelimitedSerializer({ delimiter: ",", columns: options.columns, bom: options.bom ?? false });
    case "tsv":
      return createDelimitedSerializer({ delimiter: "\t", columns: options.columns, bom: options.bom ?? false });
    case "xml":
      if (!options.xml) throw new TypeError("An XML feed needs xml options (the RSS channel's title, link and description).");
      return createRssSerializer(options.columns, options.xml);
    case "json":
      return createJsonArraySerializer();
  }
}

/**
 * TikTok Shop product payloads as one JSON array: `[\n`, the records' payloads separated by `,\n`,
 * then `\n]\n`. Each record's `fields` object is the payload, written as is.
 */
import type { ChannelRecord } from "../channels/types";
import type { FeedSerializer } from "./serializer";

export function createJsonArraySerializer(): FeedSerializer {
  // The only state any serializer keeps: whether a comma must precede the next record.
  let hasRecords = false;
  return {
    contentType: "application/json; charset=utf-8",
    fileExtension: "json",
    header(): string {
      hasRecords = false;
      return "[\n";
    },
    record(record: ChannelRecord): string {
      // JSON.stringify escapes lone surrogates (\udXXX), so the output is always valid UTF-8.
      const payload = JSON.stringify(record.fields);
      if (hasRecords) return `,\n${payload}`;
      hasRecords = true;
      return payload;
    },
    footer: () => (hasRecords ? "\n]\n" : "]\n"),
  };
}

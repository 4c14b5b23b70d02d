/**
 * Google Merchant Center feed: channels.md §4. Field names without the g: prefix (the RSS writer
 * adds it); enums with underscores.
 */
import type { Reporter } from "../checks";
import { GOOGLE_SPEC, type GoogleSpec } from "../specs";
import type { ChannelAdapter, FlatRecord, MappedItem } from "../types";
import { createFlatAdapter } from "./flat";

const MAX_DATE_CHARS = 25;

/** `now` plus whole months, in UTC. */
function monthsAfter(now: Date, months: number): number {
  const limit = new Date(now.getTime());
  limit.setUTCMonth(limit.getUTCMonth() + months);
  return limit.getTime();
}

/** A pre-order or backorder must say when it ships: an ISO 8601 date-time at most a year ahead. */
function setAvailabilityDate(item: MappedItem, fields: FlatRecord, r: Reporter, spec: GoogleSpec): void {
  const availability = fields.availability;
  if (typeof availability !== "string" || !spec.availabilityNeedingDate.includes(availability)) return;
  const date = item.availabilityDate;
  const shipDate = date ? Date.parse(date) : Number.NaN;
  const base = { field: "availability_date", severity: "error", source: "availability" } as const;
  if (!date) {
    r.add({
      ...base,
      problem: "missing",
      value: null,
      message: `Google needs the date a ${availability} item ships (availability_date) and this item has none.`,
      change: "Set the pre-order ship date (the selling plan's fulfillment date)",
    });
  } else if (Number.isNaN(shipDate)) {
    r.add({ ...base, problem: "invalid", value: date, message: `"${date}" is not an ISO 8601 date-time.`, change: "Write the ship date as 2026-12-25T13:00-08:00" });
  } else if (shipDate > monthsAfter(r.ctx.now, spec.availabilityDateMaxMonthsAhead)) {
    r.add({
      ...base,
      problem: "too_far_ahead",
      value: date,
      message: `The ship date ${date} is more than ${spec.availabilityDateMaxMonthsAhead} months ahead; Google accepts dates up to a year out.`,
      change: "Set a ship date within the next year, or sell the item as out of stock until then",
    });
  } else {
    fields.availability_date = date.length <= MAX_DATE_CHARS ? date : new Date(shipDate).toISOString().replace(".000Z", "Z");
  }
}

function extendGoogle(item: MappedItem, fields: FlatRecord, r: Reporter, spec: GoogleSpec): void {
  setAvailabilityDate(item, fields, r, spec);
  // Without a GTIN, or an MPN together with a brand, Google asks for identifier_exists=no.
  if (!fields.gtin && !(fields.mpn && fields.brand)) fields.identifier_exists = spec.identifierExistsNo;
}

export function createGoogleAdapter(spec: GoogleSpec = GOOGLE_SPEC): ChannelAdapter {
  return createFlatAdapter({
    spec,
    label: "Google Merchant Center",
    formats: ["xml", "tsv"],
    titleIncludesVariant: true,
    extend: extendGoogle,
  });
}

export const GOOGLE_ADAPTER: ChannelAdapter = createGoogleAdapter();

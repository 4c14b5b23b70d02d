import { describe, expect, it } from "vitest";
import { decideServerForwarding, FORWARDING_LABELS, isForwarded, type ForwardingInput } from "../../../app/domain/tracking/server-forwarding";
import type { PlanPlatformSettings, Platform } from "../../../app/domain/tracking/types";

const NOW = new Date("2025-06-10T12:00:00Z");

function settings(platform: Platform, overrides: Partial<PlanPlatformSettings> = {}): PlanPlatformSettings {
  return { platform, enabled: true, purpose: "marketing", serverSide: true, contentType: "product", attributionWindow: { clickDays: 7, viewDays: 1 }, ...overrides };
}

function input(overrides: Partial<ForwardingInput> = {}): ForwardingInput {
  const platform = overrides.platform ?? "meta";
  return {
    platform,
    settings: settings(platform),
    consent: { marketing: true, analytics: true, saleOfData: true },
    eventId: "1001",
    eventTime: "2025-06-10T11:59:00Z",
    now: NOW,
    ...overrides,
  };
}

describe("decideServerForwarding", () => {
  it("forwards a consented event with an id, without limited data use", () => {
    expect(decideServerForwarding(input())).toEqual({ outcome: "forward", limitedDataUse: null });
  });

  it("holds the event when marketing is denied or unknown", () => {
    expect(decideServerForwarding(input({ consent: { marketing: false, analytics: true, saleOfData: true } })).outcome).toBe("held_no_consent");
    expect(decideServerForwarding(input({ consent: { marketing: null, analytics: true, saleOfData: true } })).outcome).toBe("held_no_consent");
  });

  it("forwards with each platform's limited-data flag when sale of data is refused or unknown", () => {
    const refused = { marketing: true, analytics: true, saleOfData: false };
    expect(decideServerForwarding(input({ consent: refused }))).toEqual({
      outcome: "forward_limited",
      limitedDataUse: { platform: "meta", dataProcessingOptions: ["LDU"], country: 0, state: 0 },
    });
    expect(decideServerForwarding(input({ platform: "tiktok", consent: refused })).limitedDataUse).toEqual({ platform: "tiktok", limitedDataUse: true });
    expect(decideServerForwarding(input({ platform: "pinterest", consent: { ...refused, saleOfData: null } })).limitedDataUse).toEqual({ platform: "pinterest", optOut: true });
  });

  it("never forwards GA4, a disabled platform or one the plan keeps browser-only", () => {
    expect(decideServerForwarding(input({ platform: "ga4" })).outcome).toBe("not_server_side");
    expect(decideServerForwarding(input({ settings: settings("meta", { serverSide: false }) })).outcome).toBe("not_server_side");
    expect(decideServerForwarding(input({ settings: settings("meta", { enabled: false }) })).outcome).toBe("not_server_side");
    expect(decideServerForwarding(input({ settings: null })).outcome).toBe("not_server_side");
  });

  it("holds an event without an id, which could not be deduplicated with the browser copy", () => {
    expect(decideServerForwarding(input({ eventId: null })).outcome).toBe("held_no_event_id");
    expect(decideServerForwarding(input({ eventId: "" })).outcome).toBe("held_no_event_id");
  });

  it("holds a Meta event older than 7 days (Meta rejects the whole batch), and only Meta's", () => {
    const old = "2025-06-03T11:59:00Z";
    expect(decideServerForwarding(input({ eventTime: old })).outcome).toBe("held_stale");
    expect(decideServerForwarding(input({ eventTime: "2025-06-03T12:00:01Z" })).outcome).toBe("forward");
    expect(decideServerForwarding(input({ platform: "tiktok", eventTime: old })).outcome).toBe("forward");
  });

  it("consent comes before everything else: a denied visitor's event is held even without an id", () => {
    expect(decideServerForwarding(input({ consent: { marketing: false, analytics: false, saleOfData: false }, eventId: null })).outcome).toBe("held_no_consent");
  });

  it("labels every outcome for the log, and says which ones send", () => {
    expect(FORWARDING_LABELS.forward).toBe("would forward");
    expect(FORWARDING_LABELS.held_no_consent).toBe("held: no consent");
    expect(isForwarded("forward_limited")).toBe(true);
    expect(isForwarded("held_stale")).toBe(false);
  });
});

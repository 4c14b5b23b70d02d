import { useFetcher } from "@remix-run/react";
import { useEffect, useRef } from "react";
import type {
  ConnectionActionResult,
  FieldError,
  MetaTestResult,
  RecommendCategoryResult,
  StartAuthorizationResult,
} from "~/.server/services/publishing/connections";

/**
 * What Settings → Channels' action answers (app/routes/app.settings.tsx), per intent. The cards
 * submit to it with their own fetchers and read their answer from here.
 */
export type ChannelsSettingsAnswer =
  | { intent: "meta-save" | "tiktok-select-shop" | "tiktok-mappings" | "tiktok-reload-warehouses" | "disconnect"; result: ConnectionActionResult }
  | { intent: "meta-test"; result: MetaTestResult }
  /** `redirect`: where the merchant authorises (TikTok's page at top level, or the demo's simulated consent page). */
  | { intent: "tiktok-start"; result: StartAuthorizationResult; redirect: { url: string; external: boolean } | null }
  | { intent: "tiktok-recommend"; categoryId: string; result: RecommendCategoryResult }
  | { intent: "invalid"; message: string };

export type OnMessage = (message: string, error?: boolean) => void;

/** The message of one field (exact path), or of every field under a prefix ("warehouseMap.<gid>"). */
export function fieldError(errors: readonly FieldError[] | null | undefined, field: string): string | undefined {
  return errors?.find((error) => error.field === field)?.message;
}

export function errorsOf(answer: ChannelsSettingsAnswer | undefined): FieldError[] {
  if (!answer || answer.intent === "invalid" || answer.intent === "meta-test" || answer.intent === "tiktok-recommend") return [];
  return answer.result.ok ? [] : answer.result.errors;
}

/**
 * A fetcher for one form of the page: its latest settled answer, reported once (a toast for a
 * success, an error toast for a request the server did not understand) even when the parent
 * re-renders with a new callback after revalidating.
 */
export function useSettingsFetcher(onSettled: (answer: ChannelsSettingsAnswer) => void) {
  const fetcher = useFetcher<ChannelsSettingsAnswer>();
  const answer = fetcher.state === "idle" ? fetcher.data : undefined;
  const reported = useRef<unknown>(null);
  useEffect(() => {
    if (!answer || reported.current === answer) return;
    reported.current = answer;
    onSettled(answer);
  }, [answer, onSettled]);
  return { fetcher, answer, busy: fetcher.state !== "idle" };
}

/** "2025-03-14 09:30 UTC": the same text on the server and in the browser, whatever their time zones. */
export function formatInstant(iso: string): string {
  return `${iso.slice(0, 16).replace("T", " ")} UTC`;
}

/** "in 6 days" / "in 3 hours" / "expired", relative to the time the page's data was loaded. */
export function timeUntil(iso: string, now: string): string {
  const minutes = Math.round((Date.parse(iso) - Date.parse(now)) / 60_000);
  if (minutes <= 0) return "expired";
  if (minutes < 60) return `in ${minutes} min`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `in ${hours} ${hours === 1 ? "hour" : "hours"}`;
  return `in ${Math.round(hours / 24)} days`;
}

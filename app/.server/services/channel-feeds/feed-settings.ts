import { ChannelSettingsSchema } from "~/domain/channels/settings";
import { saveChannelSettings } from "../../repositories/channel-settings";
import type { Runtime } from "../../runtime";
import { requestFeedBuild } from "./request-feed-build";

export type SaveFeedSettingsResult = { ok: true; message: string } | { ok: false; message: string; errors: { path: string; message: string }[] };

/**
 * Saves the id scheme and the markets every feed is built for, validated as a whole (never half
 * saved), and schedules a rebuild: a new market gets its feeds, a removed one loses them.
 */
export async function saveFeedSettings(runtime: Runtime, shop: string, input: unknown): Promise<SaveFeedSettingsResult> {
  const parsed = ChannelSettingsSchema.safeParse(input);
  if (!parsed.success) {
    return {
      ok: false,
      message: "The settings have errors; nothing was saved.",
      errors: parsed.error.issues.map((issue) => ({ path: issue.path.join(".") || "(settings)", message: issue.message })),
    };
  }
  if (parsed.data.markets.length === 0) {
    return { ok: false, message: "Keep at least one market; nothing was saved.", errors: [{ path: "markets", message: "at least one market is needed" }] };
  }
  await saveChannelSettings(runtime.db.sql, shop, parsed.data);
  await requestFeedBuild(runtime, shop, "feed settings saved", { immediately: true });
  return { ok: true, message: "Settings saved; rebuilding feeds" };
}

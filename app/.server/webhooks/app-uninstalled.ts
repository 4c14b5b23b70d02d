import { cancelShopJobs } from "../jobs/queue";
import { deleteShopSessions, markShopUninstalled } from "../repositories/shops";
import type { WebhookHandler } from "./types";

/**
 * The access token is already revoked when this arrives, so nothing can be cleaned up inside the
 * store. We drop sessions, mark the shop inactive and cancel its queued jobs; catalog data stays
 * until shop/redact (48 h later) in case the merchant reinstalls.
 */
export const appUninstalled: WebhookHandler = {
  topic: "app/uninstalled",
  runsForInactiveShop: true,
  async handle({ runtime, shop, now }) {
    const sessions = await deleteShopSessions(runtime.db.prisma, shop);
    await markShopUninstalled(runtime.db.prisma, shop, now);
    const cancelled = await cancelShopJobs(runtime.boss, shop);
    return `${sessions} session(s) removed, shop marked inactive, ${cancelled} queued job(s) cancelled`;
  },
};

import { z } from "zod";
import { updateShopScopes } from "../repositories/shops";
import type { WebhookHandler } from "./types";

const ScopesUpdatePayloadSchema = z.object({ current: z.array(z.string()) });

export const appScopesUpdate: WebhookHandler = {
  topic: "app/scopes_update",
  runsForInactiveShop: false,
  async handle({ runtime, shop, payload }) {
    const parsed = ScopesUpdatePayloadSchema.safeParse(payload);
    if (!parsed.success) throw new Error(`app/scopes_update payload: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
    const scopes = parsed.data.current.join(",");
    await updateShopScopes(runtime.db.prisma, shop, scopes);
    return `scopes now ${scopes || "(none)"}`;
  },
};

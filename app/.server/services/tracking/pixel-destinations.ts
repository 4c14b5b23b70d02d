import { z } from "zod";
import {
  DESTINATION_PLATFORMS,
  deletePixelDestination,
  listPixelDestinations,
  savePixelDestination,
  type DestinationPlatform,
} from "../../repositories/pixel-destinations";
import type { Runtime } from "../../runtime";
import { encryptSecret, keyringFor, secretHint } from "../../security/secrets";

/**
 * The "Server-side connections" card: a shop's Meta Conversions API and TikTok Events API
 * credentials. The token is encrypted before it reaches the database and never comes back out of
 * this module: the page sees "•••• last4" only.
 */
export interface DestinationView {
  platform: DestinationPlatform;
  pixelId: string;
  /** The token as the page shows it: "•••• 1234". */
  tokenMask: string;
  testEventCode: string | null;
  status: "connected" | "reconnect";
  lastForwardedAt: string | null;
  lastError: string | null;
}

export async function listDestinationViews(runtime: Runtime, shop: string): Promise<DestinationView[]> {
  const rows = await listPixelDestinations(runtime.db.sql, shop);
  return rows.map((row) => ({
    platform: row.platform,
    pixelId: row.pixelId,
    tokenMask: `•••• ${row.tokenHint}`,
    testEventCode: row.testEventCode,
    status: row.status,
    lastForwardedAt: row.lastForwardedAt?.toISOString() ?? null,
    lastError: row.lastError,
  }));
}

/** Meta pixel (dataset) ids are numeric; TikTok pixel codes are upper-case letters and digits. */
const PIXEL_ID: Record<DestinationPlatform, { pattern: RegExp; message: string }> = {
  meta: { pattern: /^\d{5,20}$/, message: "The Meta pixel id is the number shown in Events Manager under Data sources (digits only)." },
  tiktok: { pattern: /^[A-Z0-9]{10,32}$/, message: "The TikTok pixel code is the id shown in Events Manager (letters and digits, e.g. C4ABCDEF1234567890)." },
};

const SaveSchema = z.object({
  platform: z.enum(DESTINATION_PLATFORMS as [DestinationPlatform, ...DestinationPlatform[]]),
  pixelId: z.string().trim().min(1, "Enter the pixel id.").max(64),
  accessToken: z.string().trim().min(20, "Paste the whole access token (it is long).").max(1_000).regex(/^\S+$/, "The access token must not contain spaces."),
  testEventCode: z
    .string()
    .trim()
    .max(64)
    .regex(/^[A-Za-z0-9_-]*$/, "The test event code has only letters and digits.")
    .optional()
    .transform((code) => code || null),
});

export type SaveDestinationResult = { ok: true; message: string } | { ok: false; errors: { field: string; message: string }[] };

export async function saveDestination(runtime: Runtime, shop: string, input: Record<string, unknown>): Promise<SaveDestinationResult> {
  const parsed = SaveSchema.safeParse(input);
  if (!parsed.success) return { ok: false, errors: parsed.error.issues.map((issue) => ({ field: String(issue.path[0] ?? "form"), message: issue.message })) };
  const { platform, pixelId, accessToken, testEventCode } = parsed.data;
  const rule = PIXEL_ID[platform];
  if (!rule.pattern.test(pixelId)) return { ok: false, errors: [{ field: "pixelId", message: rule.message }] };
  await savePixelDestination(runtime.db.sql, shop, {
    platform,
    pixelId,
    tokenCiphertext: encryptSecret(keyringFor(runtime.env), accessToken),
    tokenHint: secretHint(accessToken),
    testEventCode,
  });
  return { ok: true, message: `${platform === "meta" ? "Meta Conversions API" : "TikTok Events API"} connection saved` };
}

export async function removeDestination(runtime: Runtime, shop: string, platform: unknown): Promise<SaveDestinationResult> {
  const parsed = z.enum(DESTINATION_PLATFORMS as [DestinationPlatform, ...DestinationPlatform[]]).safeParse(platform);
  if (!parsed.success) return { ok: false, errors: [{ field: "platform", message: "Unknown platform." }] };
  const removed = await deletePixelDestination(runtime.db.sql, shop, parsed.data);
  return { ok: true, message: removed ? "Connection removed" : "There was no connection to remove" };
}

import type { Runtime } from "../runtime";

export interface WebhookJobContext {
  runtime: Runtime;
  shop: string;
  deliveryId: string;
  payload: unknown;
  now: Date;
}

/**
 * One idempotent handler per topic, callable without HTTP. It returns a short outcome for the
 * inbox row ("2 sessions removed"); running it twice must leave the same state as running it once.
 */
export interface WebhookHandler {
  topic: string;
  /** Runs even when the shop is uninstalled (compliance and lifecycle topics). */
  runsForInactiveShop: boolean;
  /** Reduces the payload to what we are allowed to keep before it is stored. */
  redactForStorage?(payload: Record<string, unknown>): Record<string, unknown>;
  handle(context: WebhookJobContext): Promise<string>;
}

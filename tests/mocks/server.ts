import { setupServer } from "msw/node";
import { shopifyAdminHandlers } from "./shopify-admin";

/**
 * One msw server built from one handler set per vendor. Tests and the demo share these handlers;
 * a test adds or overrides behaviour with `mockServer.use(...)`.
 */
export const mockServer = setupServer(...shopifyAdminHandlers());

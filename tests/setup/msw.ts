import { afterAll, afterEach, beforeAll } from "vitest";
import { mockServer } from "../mocks/server";

// Started here, in setupFiles, because @shopify/shopify-api captures globalThis.fetch when it is
// imported; listening later in a test file would be too late (stack-notes pitfall 9).
mockServer.listen({ onUnhandledFrame: "error" });
beforeAll(() => undefined);
afterEach(() => mockServer.resetHandlers());
afterAll(() => mockServer.close());

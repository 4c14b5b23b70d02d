import { mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  DEV_KEY_FILE,
  SecretsError,
  decryptSecret,
  encryptSecret,
  keyringFrom,
  loadKeyring,
  parseSecretKeys,
  secretHint,
} from "../../../app/.server/security/secrets";
import { EnvError, parseEnv } from "../../../app/env.server";

const OLD_KEY = Buffer.alloc(32, 1).toString("base64");
const NEW_KEY = Buffer.alloc(32, 2).toString("base64");
const TOKEN = "EAAGm0PX4ZCpsBAsecret-token-1234";

describe("secrets at rest", () => {
  it("round-trips a token and never stores it in clear", () => {
    const keyring = keyringFrom(parseSecretKeys(`k1:${OLD_KEY}`));
    const stored = encryptSecret(keyring, TOKEN);
    expect(stored).toMatch(/^v1:k1:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+$/);
    expect(stored).not.toContain(TOKEN);
    expect(stored).not.toContain(Buffer.from(TOKEN).toString("base64"));
    expect(decryptSecret(keyring, stored)).toBe(TOKEN);
    // A fresh IV each time: the same token never encrypts to the same text.
    expect(encryptSecret(keyring, TOKEN)).not.toBe(stored);
  });

  it("detects tampering with the data, the tag or the iv", () => {
    const keyring = keyringFrom(parseSecretKeys(`k1:${OLD_KEY}`));
    const [version, id, iv, tag, data] = encryptSecret(keyring, TOKEN).split(":") as [string, string, string, string, string];
    const flip = (b64: string) => {
      const bytes = Buffer.from(b64, "base64");
      bytes[0] = (bytes[0] ?? 0) ^ 1;
      return bytes.toString("base64");
    };
    for (const altered of [[version, id, iv, tag, flip(data)], [version, id, iv, flip(tag), data], [version, id, flip(iv), tag, data]]) {
      expect(() => decryptSecret(keyring, altered.join(":"))).toThrow(/does not decrypt with key "k1": it was altered/);
    }
    expect(() => decryptSecret(keyring, "plaintext-token")).toThrow(/not in the v1 format/);
  });

  it("rotates: the first key encrypts, an older key still decrypts", () => {
    const before = keyringFrom(parseSecretKeys(`old:${OLD_KEY}`));
    const storedBefore = encryptSecret(before, TOKEN);
    const after = keyringFrom(parseSecretKeys(`new:${NEW_KEY},old:${OLD_KEY}`));
    expect(decryptSecret(after, storedBefore)).toBe(TOKEN);
    const storedAfter = encryptSecret(after, TOKEN);
    expect(storedAfter.split(":")[1]).toBe("new");
    expect(() => decryptSecret(before, storedAfter)).toThrow(/key "new", which SHELFCAST_SECRETS_KEYS no longer lists/);
  });

  it("reports a wrong key without leaking the token or the keys", () => {
    const stored = encryptSecret(keyringFrom(parseSecretKeys(`k1:${OLD_KEY}`)), TOKEN);
    const wrong = keyringFrom(parseSecretKeys(`k1:${NEW_KEY}`));
    let message = "";
    try {
      decryptSecret(wrong, stored);
    } catch (error) {
      expect(error).toBeInstanceOf(SecretsError);
      message = (error as Error).message;
    }
    expect(message).toBe('the stored secret does not decrypt with key "k1": it was altered, or the key changed');
    for (const secret of [TOKEN, OLD_KEY, NEW_KEY, stored]) expect(message).not.toContain(secret);
  });

  it("rejects malformed key lists without echoing key material", () => {
    expect(() => parseSecretKeys("k1:c2hvcnQ=")).toThrow(/key "k1" must be 32 bytes/);
    expect(() => parseSecretKeys(`k1:${OLD_KEY},k1:${NEW_KEY}`)).toThrow(/"k1" appears twice/);
    expect(() => parseSecretKeys(OLD_KEY)).toThrow(/entry 1: expected keyId:base64/);
    try {
      parseSecretKeys(`bad id:${OLD_KEY}`);
    } catch (error) {
      expect((error as Error).message).not.toContain(OLD_KEY);
    }
  });

  it("shows only the last four characters", () => {
    expect(secretHint(TOKEN)).toBe("1234");
  });

  it("generates and keeps a development key (mode 600) when no keys are configured outside production", () => {
    const dir = mkdtempSync(join(tmpdir(), "shelfcast-secrets-"));
    const first = loadKeyring({ NODE_ENV: "test", SHELFCAST_DATA_DIR: dir });
    expect(statSync(join(dir, DEV_KEY_FILE)).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(dir, DEV_KEY_FILE), "utf8").trim()).toBe(first.primary.key.toString("base64"));
    const second = loadKeyring({ NODE_ENV: "development", SHELFCAST_DATA_DIR: dir });
    expect(decryptSecret(second, encryptSecret(first, TOKEN))).toBe(TOKEN);
    expect(() => loadKeyring({ NODE_ENV: "production", SHELFCAST_DATA_DIR: dir })).toThrow(/SHELFCAST_SECRETS_KEYS is required in production/);
  });

  it("refuses to boot in production without SHELFCAST_SECRETS_KEYS, and validates it", () => {
    const shopify = { SHOPIFY_API_KEY: "key", SHOPIFY_API_SECRET: "secret", SHOPIFY_APP_URL: "https://shelfcast.example.com" };
    const problems = (source: Record<string, string>) => {
      try {
        parseEnv(source);
        return [];
      } catch (error) {
        expect(error).toBeInstanceOf(EnvError);
        return (error as EnvError).problems;
      }
    };
    expect(problems({ NODE_ENV: "production", ...shopify })).toEqual([expect.stringMatching(/^SHELFCAST_SECRETS_KEYS: is required in production/)]);
    expect(problems({ NODE_ENV: "production", ...shopify, SHELFCAST_SECRETS_KEYS: `k1:${OLD_KEY}` })).toEqual([]);
    const bad = problems({ NODE_ENV: "production", ...shopify, SHELFCAST_SECRETS_KEYS: "k1:c2hvcnQ=" });
    expect(bad).toEqual([expect.stringMatching(/^SHELFCAST_SECRETS_KEYS: SHELFCAST_SECRETS_KEYS key "k1" must be 32 bytes/)]);
  });
});

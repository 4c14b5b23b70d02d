import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/**
 * Secrets at rest (ad platforms' access tokens): AES-256-GCM, so a changed byte is detected rather
 * than decrypted into garbage. Keys come from SHELFCAST_SECRETS_KEYS, `keyId:base64` pairs separated
 * by commas: the first key encrypts, every key decrypts, so a key is rotated by putting the new one
 * first and dropping the old one once everything was re-saved. The stored form names its key:
 * `v1:<keyId>:<iv b64>:<tag b64>:<data b64>`.
 *
 * Without the variable, demo mode and tests use a development key generated once and kept in
 * SHELFCAST_DATA_DIR (mode 600); production refuses to boot without it (app/env.server.ts).
 */

export interface SecretKey {
  id: string;
  key: Buffer;
}

export interface Keyring {
  /** The key that encrypts. */
  primary: SecretKey;
  /** Every key that may decrypt, by id. */
  byId: ReadonlyMap<string, Buffer>;
}

export class SecretsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SecretsError";
  }
}

const FORMAT_VERSION = "v1";
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;
export const DEV_KEY_FILE = "secrets-dev.key";
const DEV_KEY_ID = "dev";

/** Parses SHELFCAST_SECRETS_KEYS. Messages name the entry by position and never echo key material. */
export function parseSecretKeys(text: string): SecretKey[] {
  const entries = text.split(",").map((entry) => entry.trim()).filter(Boolean);
  if (entries.length === 0) throw new SecretsError("SHELFCAST_SECRETS_KEYS holds no key; expected keyId:base64-of-32-bytes[,older...]");
  const seen = new Set<string>();
  return entries.map((entry, index) => {
    const colon = entry.indexOf(":");
    const id = colon > 0 ? entry.slice(0, colon) : "";
    if (!KEY_ID.test(id)) throw new SecretsError(`SHELFCAST_SECRETS_KEYS entry ${index + 1}: expected keyId:base64 with a key id of letters, digits, _ or -`);
    if (seen.has(id)) throw new SecretsError(`SHELFCAST_SECRETS_KEYS entry ${index + 1}: key id "${id}" appears twice`);
    seen.add(id);
    const key = Buffer.from(entry.slice(colon + 1), "base64");
    if (key.length !== KEY_BYTES) throw new SecretsError(`SHELFCAST_SECRETS_KEYS key "${id}" must be ${KEY_BYTES} bytes in base64 (openssl rand -base64 32)`);
    return { id, key };
  });
}

export function keyringFrom(keys: readonly SecretKey[]): Keyring {
  const [primary] = keys;
  if (!primary) throw new SecretsError("a keyring needs at least one key");
  return { primary, byId: new Map(keys.map((key) => [key.id, key.key])) };
}

export function encryptSecret(keyring: Keyring, plaintext: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", keyring.primary.key, iv);
  const data = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  const tag = cipher.getAuthTag();
  return [FORMAT_VERSION, keyring.primary.id, iv.toString("base64"), tag.toString("base64"), data.toString("base64")].join(":");
}

/** Decrypts a stored secret; the error says why (unknown key, altered data) and never includes either text. */
export function decryptSecret(keyring: Keyring, stored: string): string {
  const parts = stored.split(":");
  const [version, keyId, iv, tag, data] = parts;
  if (parts.length !== 5 || version !== FORMAT_VERSION || keyId === undefined || iv === undefined || tag === undefined || data === undefined) {
    throw new SecretsError("the stored secret is not in the v1 format");
  }
  const key = keyring.byId.get(keyId);
  if (!key) throw new SecretsError(`the stored secret was encrypted with key "${keyId}", which SHELFCAST_SECRETS_KEYS no longer lists`);
  const ivBytes = Buffer.from(iv, "base64");
  const tagBytes = Buffer.from(tag, "base64");
  if (ivBytes.length !== IV_BYTES || tagBytes.length !== TAG_BYTES) throw new SecretsError("the stored secret is damaged");
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, ivBytes);
    decipher.setAuthTag(tagBytes);
    return Buffer.concat([decipher.update(Buffer.from(data, "base64")), decipher.final()]).toString("utf8");
  } catch {
    throw new SecretsError(`the stored secret does not decrypt with key "${keyId}": it was altered, or the key changed`);
  }
}

/** What the settings page may show of a token: its last four characters. */
export function secretHint(secret: string): string {
  return secret.slice(-4);
}

/**
 * The development key: read from SHELFCAST_DATA_DIR, or generated and written there with mode 600
 * on first use, so tokens saved in demo mode survive restarts.
 */
export function loadDevelopmentKey(dataDir: string): SecretKey {
  const path = join(dataDir, DEV_KEY_FILE);
  try {
    const key = Buffer.from(readFileSync(path, "utf8").trim(), "base64");
    if (key.length === KEY_BYTES) {
      // A copied or restored data folder may have loosened the mode; the key stays owner-only.
      chmodSync(path, 0o600);
      return { id: DEV_KEY_ID, key };
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  mkdirSync(dataDir, { recursive: true });
  const key = randomBytes(KEY_BYTES);
  writeFileSync(path, `${key.toString("base64")}\n`, { mode: 0o600 });
  chmodSync(path, 0o600);
  return { id: DEV_KEY_ID, key };
}

export interface SecretsEnv {
  NODE_ENV: "development" | "production" | "test";
  SHELFCAST_SECRETS_KEYS?: string | undefined;
  SHELFCAST_DATA_DIR: string;
}

/** The process's keyring: the configured keys, else (never in production) the development key. */
export function loadKeyring(env: SecretsEnv): Keyring {
  if (env.SHELFCAST_SECRETS_KEYS) return keyringFrom(parseSecretKeys(env.SHELFCAST_SECRETS_KEYS));
  if (env.NODE_ENV === "production") throw new SecretsError("SHELFCAST_SECRETS_KEYS is required in production (keyId:base64-of-32-bytes)");
  return keyringFrom([loadDevelopmentKey(env.SHELFCAST_DATA_DIR)]);
}

const keyrings = new WeakMap<object, Keyring>();

/** The keyring for one parsed environment, loaded once. */
export function keyringFor(env: SecretsEnv): Keyring {
  let keyring = keyrings.get(env);
  if (!keyring) {
    keyring = loadKeyring(env);
    keyrings.set(env, keyring);
  }
  return keyring;
}

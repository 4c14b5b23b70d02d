import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { DEMO_META_TOKEN, DEMO_TIKTOK_APP_SECRET } from "../../../app/demo/channel-fakes/demo-instance";
import { MetaCatalogFake, TikTokShopFake } from "../../../app/demo/channel-fakes";
import { findSecrets, loadSecretLiterals, scanFile } from "../../../scripts/check-logs-for-secrets.mjs";
import secretLiterals from "../../fixtures/secret-literals.json";

const SCRIPT = path.resolve("scripts/check-logs-for-secrets.mjs");
const secrets = loadSecretLiterals();
const { faultRunMetaToken, faultRunTikTokAppSecret } = secretLiterals.secrets;

function logFile(lines: string[]): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), "shelfcast-logs-")), "run.log");
  writeFileSync(file, `${lines.join("\n")}\n`);
  return file;
}

function pinoLine(fields: Record<string, unknown>): string {
  return JSON.stringify({ level: 30, time: 1_700_000_000_000, app: "shelfcast", ...fields });
}

describe("the log check for secrets", () => {
  it("lists the secrets the demo and the channel fakes use", () => {
    const values = secrets.map((secret) => secret.value);
    expect(values).toEqual(expect.arrayContaining([DEMO_META_TOKEN, DEMO_TIKTOK_APP_SECRET, new MetaCatalogFake().accessToken, new TikTokShopFake().appSecret]));
    // The fake mints tokens with a fixed prefix; the list holds the prefix so every minted token is caught.
    const minted = new TikTokShopFake().issueTokens();
    expect(findSecrets(minted.accessToken, secrets)).toEqual(["tiktokFakeAccessTokenPrefix"]);
    expect(findSecrets(minted.refreshToken, secrets)).toEqual(["tiktokFakeRefreshTokenPrefix"]);
  });

  it("finds a leaked token as written, URL-encoded and JSON-escaped, and names it without printing it", () => {
    expect(findSecrets(pinoLine({ msg: `calling Meta with ${faultRunMetaToken}` }), secrets)).toEqual(["faultRunMetaToken"]);
    expect(findSecrets(`GET /v21.0/1/products?access_token=${encodeURIComponent(faultRunMetaToken)}`, secrets)).toEqual(["faultRunMetaToken"]);
    expect(findSecrets(`app_secret=${new URLSearchParams({ s: faultRunTikTokAppSecret }).toString().slice(2)}`, secrets)).toEqual(["faultRunTikTokAppSecret"]);
    expect(findSecrets(pinoLine({ secret: `quote"${DEMO_TIKTOK_APP_SECRET}` }), secrets)).toEqual(["demoTikTokAppSecret"]);
    expect(findSecrets(pinoLine({ msg: "catalog published", token: "[redacted]", itemsLive: 12 }), secrets)).toEqual([]);
  });

  it("reports the line of each hit", async () => {
    const file = logFile([pinoLine({ msg: "ok" }), pinoLine({ msg: `token ${DEMO_META_TOKEN}` }), pinoLine({ msg: "ok" }), `${DEMO_TIKTOK_APP_SECRET} and ${faultRunMetaToken}`]);
    expect(await scanFile(file, secrets)).toEqual([
      { line: 2, names: ["demoMetaToken"] },
      { line: 4, names: ["demoTikTokAppSecret", "faultRunMetaToken"] },
    ]);
  });

  it("fails the run on a deliberately leaked token, naming the file and line, and passes a clean log", () => {
    const leaked = logFile([pinoLine({ msg: "channel publish started" }), pinoLine({ msg: "Meta refused", reason: `Invalid token ${faultRunMetaToken}` })]);
    const failed = spawnSync(process.execPath, [SCRIPT, leaked], { encoding: "utf8" });
    expect(failed.status).toBe(1);
    expect(failed.stderr).toContain(`${leaked}:2: holds faultRunMetaToken`);
    expect(failed.stderr).not.toContain(faultRunMetaToken);

    const clean = logFile([pinoLine({ msg: "channel publish started" }), pinoLine({ msg: "Meta refused", reason: "Invalid token [redacted]" })]);
    const passed = spawnSync(process.execPath, [SCRIPT, clean], { encoding: "utf8" });
    expect(passed.status).toBe(0);

    const missing = spawnSync(process.execPath, [SCRIPT, path.join(tmpdir(), "no-such-shelfcast.log")], { encoding: "utf8" });
    expect(missing.status).toBe(2);
  });
});

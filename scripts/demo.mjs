// `npm run demo`: the whole product on this machine with no Shopify account and no network.
// Builds the app if the build is missing or older than the source, seeds the demo catalog once
// (shelfcast seed → Shopify bulk-operation JSONL), then starts the web process in demo mode on
// 127.0.0.1 with the embedded database (PGlite in .data/) and the in-process job worker.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { withProcessMemorySettings } from "./process-memory.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const bin = (name) => path.join(root, "node_modules/.bin", name);
const major = Number(process.versions.node.split(".")[0]);
if (major < 22) {
  console.error(`Shelfcast needs Node 22 or newer (this is ${process.version}). Run it through npm (npm run demo), which uses the Node 22 installed with the project.`);
  process.exit(1);
}

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === "generated") continue;
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

function run(command, args, env = {}) {
  const result = spawnSync(command, args, { cwd: root, stdio: "inherit", env: { ...process.env, ...env } });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

const serverBuild = path.join(root, "build/server/index.js");
const sourceChanged = !existsSync(serverBuild) || newestMtime(path.join(root, "app")) > statSync(serverBuild).mtimeMs;
if (sourceChanged) {
  console.log("Building Shelfcast…");
  run(bin("remix"), ["vite:build"], { NODE_ENV: "production" });
}

const dataDir = process.env.SHELFCAST_DATA_DIR || path.join(root, ".data");
const catalog = path.join(dataDir, "demo/catalog.jsonl");
if (!existsSync(catalog)) {
  console.log("Generating the demo shop's catalog…");
  run(process.execPath, [path.join(root, "bin/shelfcast.mjs"), "seed", "--out", catalog]);
}

const env = withProcessMemorySettings({
  ...process.env,
  NODE_ENV: "development",
  SHELFCAST_DEMO: "1",
  HOST: process.env.HOST || "127.0.0.1",
  PORT: process.env.PORT || "3000",
  SHELFCAST_DATA_DIR: dataDir,
  PGLITE_DATA_DIR: process.env.PGLITE_DATA_DIR || path.join(dataDir, "pglite"),
});
const server = spawn(process.execPath, [path.join(root, "server.mjs")], { cwd: root, stdio: "inherit", env });
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => server.kill(signal));
server.on("exit", (code) => process.exit(code ?? 0));

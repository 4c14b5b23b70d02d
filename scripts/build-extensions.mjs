#!/usr/bin/env node
/**
 * Builds the app's Shopify extensions offline, as CI does: installs each extension's own
 * dependencies (the CLI resolves them only from the extension's folder, not the app root), runs
 * `shopify app build`, then checks that every extension produced its bundle in dist/. Any failure
 * exits non-zero with the reason.
 *
 *   node scripts/build-extensions.mjs
 *
 * Needs Node >= 22 (the Shopify CLI refuses older ones) and no login: `app build` works offline.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const extensionsDir = join(root, "extensions");

function fail(message) {
  console.error(`build-extensions: ${message}`);
  process.exit(1);
}

function run(command, args, options = {}) {
  console.log(`$ ${command} ${args.join(" ")}`);
  const result = spawnSync(command, args, { cwd: root, stdio: "inherit", ...options });
  if (result.error) fail(`${command} could not start: ${result.error.message}`);
  if (result.status !== 0) fail(`${command} ${args.join(" ")} exited with ${result.status ?? result.signal}`);
}

/** The handle names the bundle (dist/<handle>.js); the CLI falls back to the folder name. */
function handleOf(extensionPath) {
  const toml = readFileSync(join(extensionPath, "shopify.extension.toml"), "utf8");
  const match = /^\s*handle\s*=\s*"([^"]+)"/m.exec(toml);
  return match?.[1] ?? extensionPath.split(/[\\/]/).pop();
}

const [major] = process.versions.node.split(".").map(Number);
if (major < 22) fail(`Node ${process.versions.node} is too old for the Shopify CLI; put node_modules/.bin first on PATH (Node 22)`);

const extensions = existsSync(extensionsDir)
  ? readdirSync(extensionsDir)
      .map((name) => join(extensionsDir, name))
      .filter((path) => existsSync(join(path, "shopify.extension.toml")))
  : [];
if (extensions.length === 0) fail("no extensions found under extensions/");

for (const extension of extensions) {
  if (existsSync(join(extension, "package.json"))) {
    run("npm", ["install", "--prefix", relative(root, extension), "--no-audit", "--no-fund"]);
  }
}

const cli = join(root, "node_modules", ".bin", "shopify");
if (!existsSync(cli)) fail("the Shopify CLI is not installed (devDependency @shopify/cli); run npm install at the root first");
run(cli, ["app", "build", "--path", "."], { env: { ...process.env, SHOPIFY_CLI_NO_ANALYTICS: "1", CI: "1" } });

for (const extension of extensions) {
  const bundle = join(extension, "dist", `${handleOf(extension)}.js`);
  if (!existsSync(bundle) || statSync(bundle).size === 0) fail(`${relative(root, bundle)} was not produced`);
  console.log(`built ${relative(root, bundle)} (${statSync(bundle).size} bytes)`);
}

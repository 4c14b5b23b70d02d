#!/usr/bin/env node
/**
 * Builds the app's Shopify extensions offline, as CI does: installs each extension's own
 * dependencies (the CLI resolves them only from the extension's folder, not the app root), runs
 * `shopify app build`, then checks that every extension produced its bundle in dist/. Theme app
 * extensions (type = "theme") have no bundle: they are checked instead (each block's schema, the
 * assets it names, the locale files, Shopify's size limits, and no external URL). Any failure exits
 * non-zero with the reason.
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

/** `type = "…"` of an extension's TOML. */
function typeOf(extensionPath) {
  const toml = readFileSync(join(extensionPath, "shopify.extension.toml"), "utf8");
  return /^\s*type\s*=\s*"([^"]+)"/m.exec(toml)?.[1] ?? null;
}

/** Shopify's limits for a theme app extension: all Liquid together, and everything together. */
const THEME_LIQUID_LIMIT = 100 * 1024;
const THEME_TOTAL_LIMIT = 10 * 1024 * 1024;
const BLOCK_TARGETS = new Set(["section", "head", "body", "compliance_head"]);

function filesOf(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? filesOf(join(dir, entry.name)) : [join(dir, entry.name)]));
}

/**
 * A theme app extension is Liquid, assets and locales, uploaded as they are: check what Shopify
 * would refuse at deploy, and what the storefront must never get (a request to another host).
 */
function validateThemeExtension(extension) {
  const where = relative(root, extension);
  const toml = readFileSync(join(extension, "shopify.extension.toml"), "utf8");
  if (!/^\s*name\s*=\s*"[^"]+"/m.test(toml)) fail(`${where}/shopify.extension.toml has no name`);
  const blocks = filesOf(join(extension, "blocks")).filter((file) => file.endsWith(".liquid"));
  if (blocks.length === 0) fail(`${where} has no blocks/*.liquid`);
  let liquidBytes = 0;
  for (const file of [...blocks, ...filesOf(join(extension, "snippets")).filter((f) => f.endsWith(".liquid"))]) liquidBytes += statSync(file).size;
  if (liquidBytes > THEME_LIQUID_LIMIT) fail(`${where}: Liquid files total ${liquidBytes} bytes, over Shopify's ${THEME_LIQUID_LIMIT}`);
  for (const block of blocks) {
    const source = readFileSync(block, "utf8");
    const schemas = [...source.matchAll(/{%-?\s*schema\s*-?%}([\s\S]*?){%-?\s*endschema\s*-?%}/g)];
    if (schemas.length !== 1) fail(`${relative(root, block)} needs exactly one {% schema %} block, found ${schemas.length}`);
    let schema;
    try {
      schema = JSON.parse(schemas[0][1]);
    } catch (error) {
      fail(`${relative(root, block)}: the schema is not valid JSON: ${error.message}`);
    }
    if (typeof schema.name !== "string" || schema.name.trim() === "") fail(`${relative(root, block)}: the schema needs a name`);
    if (!BLOCK_TARGETS.has(schema.target)) fail(`${relative(root, block)}: the schema's target must be one of ${[...BLOCK_TARGETS].join(", ")}`);
    for (const key of ["stylesheet", "javascript"]) {
      if (schema[key] !== undefined && !existsSync(join(extension, "assets", schema[key]))) fail(`${relative(root, block)}: ${key} "${schema[key]}" is not in assets/`);
    }
    const liquidTags = (source.match(/{%-?\s*(if|unless|for|case|capture|comment)\b/g) ?? []).length;
    const liquidEnds = (source.match(/{%-?\s*end(if|unless|for|case|capture|comment)\b/g) ?? []).length;
    if (liquidTags !== liquidEnds) fail(`${relative(root, block)}: ${liquidTags} opening Liquid tags but ${liquidEnds} closing ones`);
  }
  const locales = filesOf(join(extension, "locales")).filter((file) => file.endsWith(".json"));
  if (!locales.some((file) => /\.default(\.schema)?\.json$/.test(file))) fail(`${where}/locales has no default locale (en.default.json)`);
  for (const file of locales) {
    try {
      JSON.parse(readFileSync(file, "utf8"));
    } catch (error) {
      fail(`${relative(root, file)} is not valid JSON: ${error.message}`);
    }
  }
  let total = 0;
  for (const file of filesOf(extension)) {
    total += statSync(file).size;
    if (/\.(liquid|css|js)$/.test(file) && /(https?:)?\/\/[a-z0-9.-]+\.[a-z]{2,}/i.test(readFileSync(file, "utf8"))) {
      fail(`${relative(root, file)} refers to another host: the storefront block must make no external request`);
    }
  }
  if (total > THEME_TOTAL_LIMIT) fail(`${where} is ${total} bytes, over Shopify's ${THEME_TOTAL_LIMIT}`);
  console.log(`checked ${where} (theme app extension: ${blocks.length} ${blocks.length === 1 ? "block" : "blocks"}, ${liquidBytes} bytes of Liquid, ${total} bytes in all)`);
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
  if (typeOf(extension) === "theme") {
    validateThemeExtension(extension);
    continue;
  }
  const bundle = join(extension, "dist", `${handleOf(extension)}.js`);
  if (!existsSync(bundle) || statSync(bundle).size === 0) fail(`${relative(root, bundle)} was not produced`);
  console.log(`built ${relative(root, bundle)} (${statSync(bundle).size} bytes)`);
}

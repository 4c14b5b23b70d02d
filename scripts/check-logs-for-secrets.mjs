#!/usr/bin/env node
/**
 * Fails when a log file holds a secret. The secrets are the literals of
 * tests/fixtures/secret-literals.json (every token and app secret the tests, the demo and the channel
 * fakes use); each is looked for as written and in the forms a log line would carry it in: URL-encoded
 * (a query string) and JSON-escaped (a structured log field). CI runs the suite with
 * SHELFCAST_TEST_LOG_FILE set (pino writes every line at debug level to that file), then this script.
 *
 *   node scripts/check-logs-for-secrets.mjs <log file>...
 *
 * Exit 0: no secret found. Exit 1: a secret was found; each hit is named "file:line: <secret name>"
 * (the name from the list, never the value). Exit 2: a file could not be read.
 */
import { createReadStream, readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { URLSearchParams, fileURLToPath } from "node:url";

export const SECRET_LITERALS_FILE = fileURLToPath(new URL("../tests/fixtures/secret-literals.json", import.meta.url));

/**
 * The named secrets of the list.
 * @param {string} [file]
 * @returns {{ name: string, value: string }[]}
 */
export function loadSecretLiterals(file = SECRET_LITERALS_FILE) {
  const parsed = JSON.parse(readFileSync(file, "utf8"));
  const secrets = parsed?.secrets;
  if (typeof secrets !== "object" || secrets === null) throw new Error(`${file}: expected {"secrets": {name: value}}`);
  return Object.entries(secrets).map(([name, value]) => {
    if (typeof value !== "string" || value.length < 6) throw new Error(`${file}: secrets.${name} must be a string of at least 6 characters`);
    return { name, value };
  });
}

/**
 * Every spelling of a secret a log line may hold.
 * @param {string} value
 * @returns {string[]}
 */
export function secretForms(value) {
  return [...new Set([value, encodeURIComponent(value), new URLSearchParams({ s: value }).toString().slice(2), JSON.stringify(value).slice(1, -1)])];
}

/**
 * The names of the secrets a line holds, in list order.
 * @param {string} line
 * @param {{ name: string, value: string }[]} secrets
 * @returns {string[]}
 */
export function findSecrets(line, secrets) {
  return secrets.filter((secret) => secretForms(secret.value).some((form) => line.includes(form))).map((secret) => secret.name);
}

/**
 * Every line of a file that holds a secret.
 * @param {string} file
 * @param {{ name: string, value: string }[]} secrets
 * @returns {Promise<{ line: number, names: string[] }[]>}
 */
export async function scanFile(file, secrets) {
  const hits = [];
  const lines = createInterface({ input: createReadStream(file, { encoding: "utf8" }), crlfDelay: Infinity });
  let number = 0;
  for await (const line of lines) {
    number += 1;
    const names = findSecrets(line, secrets);
    if (names.length > 0) hits.push({ line: number, names });
  }
  return hits;
}

async function main(files) {
  if (files.length === 0) {
    console.error("usage: node scripts/check-logs-for-secrets.mjs <log file>...");
    return 2;
  }
  const secrets = loadSecretLiterals();
  let found = 0;
  for (const file of files) {
    let hits;
    try {
      hits = await scanFile(file, secrets);
    } catch (error) {
      console.error(`${file}: cannot be read (${error instanceof Error ? error.message : String(error)})`);
      return 2;
    }
    for (const hit of hits) console.error(`${file}:${hit.line}: holds ${hit.names.join(", ")}`);
    found += hits.length;
  }
  if (found > 0) {
    console.error(`${found} log line(s) hold a secret of tests/fixtures/secret-literals.json`);
    return 1;
  }
  console.log(`no secret in ${files.join(", ")} (${secrets.length} secrets checked)`);
  return 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.exitCode = await main(process.argv.slice(2));
}

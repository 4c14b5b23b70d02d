import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import type { ExtensionSource } from "~/domain/tracking/types";

/** Source files the checker reads; bundles (dist/) and dependencies are not the merchant's code. */
const SOURCE_EXTENSIONS = new Set([".ts", ".tsx", ".js", ".jsx", ".mjs", ".cjs"]);
const SKIPPED_FOLDERS = new Set(["node_modules", "dist", ".git"]);

async function collectSources(root: string, folder: string, files: Record<string, string>): Promise<void> {
  const entries = await readdir(path.join(root, folder), { withFileTypes: true });
  entries.sort((a, b) => a.name.localeCompare(b.name));
  for (const entry of entries) {
    const relative = folder === "" ? entry.name : `${folder}/${entry.name}`;
    if (entry.isDirectory()) {
      if (!SKIPPED_FOLDERS.has(entry.name)) await collectSources(root, relative, files);
    } else if (entry.isFile() && SOURCE_EXTENSIONS.has(path.extname(entry.name)) && !entry.name.endsWith(".d.ts")) {
      files[relative] = await readFile(path.join(root, relative), "utf8");
    }
  }
}

/**
 * Reads a web pixel extension folder as the checker takes it: its shopify.extension.toml and every
 * source file under src/ (relative paths with forward slashes, in a stable order). Throws with the
 * path when the TOML is missing, since then the folder is not an extension.
 */
export async function loadExtensionSource(dir: string): Promise<ExtensionSource> {
  const tomlPath = path.join(dir, "shopify.extension.toml");
  let toml: string;
  try {
    toml = await readFile(tomlPath, "utf8");
  } catch (error) {
    throw new Error(`${tomlPath} cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}): is ${dir} a Shopify extension folder?`);
  }
  const files: Record<string, string> = {};
  try {
    await collectSources(dir, "src", files);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  return { path: path.normalize(dir).split(path.sep).join("/").replace(/\/$/, ""), toml, files };
}

import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { PROCESS_MEMORY_ENV, withProcessMemorySettings } from "../../../scripts/process-memory.mjs";

const ROOT = path.resolve(__dirname, "../../..");
const scripts = (JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;

/**
 * Runs an npm script's own shell line with its program swapped for one that prints the malloc
 * settings it was given, so the test exercises what `sh` really does with the inline assignments.
 */
function settingsSeenBy(script: string, program: string, env: Record<string, string | undefined>): Record<string, string | undefined> {
  const command = scripts[script]!;
  expect(command, `the ${script} script starts ${program}`).toContain(program);
  const printer = `node -e 'console.log(JSON.stringify({ MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX, MALLOC_MMAP_THRESHOLD_: process.env.MALLOC_MMAP_THRESHOLD_ }))'`;
  const result = spawnSync("sh", ["-c", `${command.slice(0, command.indexOf(program))}${printer}`], { encoding: "utf8", env: env as NodeJS.ProcessEnv });
  expect(result.status, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as Record<string, string | undefined>;
}

const withoutMalloc = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith("MALLOC_")));

describe("the memory settings every long-running process starts with (ADR 0017)", () => {
  it.each([
    ["start", "node server.mjs"],
    ["worker", "tsx "],
  ])("npm run %s starts its process with them", (script, program) => {
    expect(settingsSeenBy(script, program, withoutMalloc)).toEqual(PROCESS_MEMORY_ENV);
  });

  it("lets an operator's own values win, in the scripts and for spawned processes", () => {
    const operator = { ...withoutMalloc, MALLOC_ARENA_MAX: "4" };
    expect(settingsSeenBy("start", "node server.mjs", operator)).toEqual({ ...PROCESS_MEMORY_ENV, MALLOC_ARENA_MAX: "4" });
    expect(withProcessMemorySettings({ MALLOC_ARENA_MAX: "4", PORT: "3000" })).toEqual({ ...PROCESS_MEMORY_ENV, MALLOC_ARENA_MAX: "4", PORT: "3000" });
  });
});

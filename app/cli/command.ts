import { parseArgs, type ParseArgsConfig } from "node:util";

export interface CommandIo {
  out: NodeJS.WritableStream;
  err: NodeJS.WritableStream;
}

export interface Command {
  summary: string;
  usage: string;
  run(argv: string[], io: CommandIo): Promise<number>;
}

/** Bad flags or arguments: the CLI prints the message and the command's usage, exit 2. */
export class UsageError extends Error {}

export function parseFlags<T extends NonNullable<ParseArgsConfig["options"]>>(argv: string[], options: T) {
  try {
    return parseArgs({ args: argv, options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

export function positiveInteger(flag: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1) throw new UsageError(`--${flag} must be a positive whole number, got "${value}"`);
  return parsed;
}

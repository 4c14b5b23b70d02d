import { feedCommand } from "./commands/feed";
import { ingestCommand } from "./commands/ingest";
import { migrateCommand } from "./commands/migrate";
import { offersCommand } from "./commands/offers";
import { pixelCheckCommand } from "./commands/pixel-check";
import { seedCommand } from "./commands/seed";
import { validateCommand } from "./commands/validate";
import { UsageError, type Command, type CommandIo } from "./command";

/**
 * `shelfcast <command>`: support and CI use these; keep flags and exit codes stable.
 * Exit codes: 0 success, 1 the input has problems, 2 bad usage or unreadable input.
 */
const COMMANDS: Record<string, Command> = {
  seed: seedCommand,
  ingest: ingestCommand,
  migrate: migrateCommand,
  feed: feedCommand,
  validate: validateCommand,
  offers: offersCommand,
  "pixel-check": pixelCheckCommand,
};

function usage(): string {
  return [
    "Usage: shelfcast <command> [options]",
    "",
    "Commands:",
    ...Object.entries(COMMANDS).map(([name, command]) => `  ${name.padEnd(10)} ${command.summary}`),
    "",
    "Run `shelfcast <command> --help` for a command's options.",
  ].join("\n");
}

export async function main(argv: string[], io: CommandIo = { out: process.stdout, err: process.stderr }): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === "--help" || name === "-h") {
    io.out.write(`${usage()}\n`);
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.err.write(`shelfcast: unknown command "${name}"\n\n${usage()}\n`);
    return 2;
  }
  if (rest.includes("--help") || rest.includes("-h")) {
    io.out.write(`${command.usage}\n`);
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err.write(`shelfcast ${name}: ${error.message}\n\n${command.usage}\n`);
      return 2;
    }
    io.err.write(`shelfcast ${name}: ${(error as Error).message}\n`);
    return 2;
  }
}

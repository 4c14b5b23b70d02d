#!/usr/bin/env node
// The `shelfcast` command-line tool. The commands are TypeScript in app/cli; tsx runs them
// directly so the CLI, the web app and the worker share the same domain code without a build.
import { register } from "tsx/esm/api";

// CLI commands read files and the database; they never call Shopify, so need no app credentials.
process.env.SHELFCAST_ROLE ??= "cli";
register({ tsconfig: new URL("../tsconfig.json", import.meta.url).pathname });
const { main } = await import("../app/cli/main.ts");
process.exitCode = await main(process.argv.slice(2));

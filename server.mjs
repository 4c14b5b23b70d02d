// The web process. Serves the Remix build and, before listening, boots Shelfcast through the
// build's own entry module (validated env, database, migrations, job queue, and the worker in the
// embedded profile), so the web server and the jobs share one module graph and one database.
import path from "node:path";
import { fileURLToPath } from "node:url";
import compression from "compression";
import express from "express";
import { createRequestHandler } from "@remix-run/express";

const root = path.dirname(fileURLToPath(import.meta.url));
const build = await import(path.join(root, "build/server/index.js"));

try {
  await build.entry.module.boot();
} catch (error) {
  // EnvError already names every bad variable; anything else is a real startup failure.
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}

const host = process.env.HOST || "127.0.0.1";
const port = Number(process.env.PORT || 3000);
const app = express();
app.disable("x-powered-by");
app.use(compression());
app.use("/assets", express.static(path.join(root, "build/client/assets"), { immutable: true, maxAge: "1y" }));
app.use(express.static(path.join(root, "build/client"), { maxAge: "1h" }));
app.all(
  "*",
  createRequestHandler({
    build,
    // The socket's address, never a forwarded header: demo sign-in trusts only real loopback.
    getLoadContext: (req) => ({ remoteAddress: req.socket.remoteAddress }),
  }),
);

const server = app.listen(port, host, () => {
  console.log(`Shelfcast listening on http://${host}:${port}/app`);
});
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    server.close();
    server.closeAllConnections?.();
    process.exit(0);
  });
}

import { getRuntime } from "~/.server/runtime";

/** Liveness for process managers and the e2e runner: the database answers. */
export async function loader() {
  const runtime = await getRuntime();
  await runtime.db.sql.query("SELECT 1");
  return Response.json({ ok: true, profile: runtime.env.profile });
}

import { getRuntime } from "../runtime";

/** Liveness: the database answers a query. */
export async function checkHealth(): Promise<{ ok: true; profile: "embedded" | "scale" }> {
  const runtime = await getRuntime();
  await runtime.db.sql.query("SELECT 1");
  return { ok: true, profile: runtime.env.profile };
}

import { checkHealth } from "~/.server/services/check-health";

/** Liveness for process managers and the e2e runner: the database answers. */
export async function loader() {
  return Response.json(await checkHealth());
}

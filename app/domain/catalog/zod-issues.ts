import type { z } from "zod";

/** One readable line per zod issue, led by the path of the bad field ("variants.0.price: ..."). */
export function describeIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) => `${issue.path.length > 0 ? issue.path.join(".") : "(root)"}: ${issue.message}`);
}

import type { AdminApi } from "../graphql-client";

/**
 * Starts a bulk query (the catalog's are in ~/domain/catalog/bulk-query.ts). Shopify answers at once
 * with the operation's id; the work runs in the background, read it with getBulkOperation.
 */
export const RUN_BULK_QUERY_MUTATION = `#graphql
  mutation RunBulkQuery($query: String!) {
    bulkOperationRunQuery(query: $query) {
      bulkOperation {
        id
        status
      }
      userErrors {
        field
        message
        code
      }
    }
  }
`;

interface BulkOperationUserError {
  field: string[] | null;
  message: string;
  code: string | null;
}

interface RunBulkQueryData {
  bulkOperationRunQuery: {
    bulkOperation: { id: string; status: string } | null;
    userErrors: BulkOperationUserError[];
  } | null;
}

/**
 * Before API 2026-01 a shop runs one bulk query per app at a time, so a second one is refused. Not a
 * failure of the sync: wait for the running one (its id is in the message) and try again.
 */
export class BulkOperationInProgressError extends Error {
  /** The operation Shopify says is running, when its message names it. */
  readonly runningOperationId: string | null;

  constructor(message: string) {
    super(`bulkOperationRunQuery: ${message}`);
    this.name = "BulkOperationInProgressError";
    this.runningOperationId = /gid:\/\/shopify\/BulkOperation\/\d+/.exec(message)?.[0] ?? null;
  }
}

function isInProgress(error: BulkOperationUserError): boolean {
  // `code` arrived in 2025 (changelog: "Bulk query operation userErrors now includes code field");
  // the message is Shopify's long-standing text.
  return error.code === "OPERATION_IN_PROGRESS" || /already in progress/i.test(error.message);
}

function describeUserError(error: BulkOperationUserError): string {
  const field = error.field?.length ? error.field.join(".") : "(no field)";
  return `${field}: ${error.message}${error.code ? ` [${error.code}]` : ""}`;
}

export async function runBulkQuery(api: AdminApi, query: string): Promise<{ id: string; status: string }> {
  const data = await api.request<RunBulkQueryData>("RunBulkQuery", RUN_BULK_QUERY_MUTATION, { query });
  const payload = data.bulkOperationRunQuery;
  const userErrors = payload?.userErrors ?? [];
  const inProgress = userErrors.find(isInProgress);
  if (inProgress) throw new BulkOperationInProgressError(inProgress.message);
  if (userErrors.length > 0) throw new Error(`bulkOperationRunQuery refused the query on ${api.shop}: ${userErrors.map(describeUserError).join("; ")}`);
  if (!payload?.bulkOperation) throw new Error(`bulkOperationRunQuery on ${api.shop} returned neither an operation nor userErrors`);
  return { id: payload.bulkOperation.id, status: payload.bulkOperation.status };
}

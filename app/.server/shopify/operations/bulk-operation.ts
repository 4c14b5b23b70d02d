import type { AdminApi } from "../graphql-client";

/**
 * One bulk operation by id: poll it until it leaves CREATED/RUNNING, then download `url`. `url` and
 * `partialDataUrl` expire 7 days after completion; a completed query with no objects has no `url`.
 */
export const BULK_OPERATION_QUERY = `#graphql
  query BulkOperationById($id: ID!) {
    node(id: $id) {
      ... on BulkOperation {
        id
        status
        errorCode
        objectCount
        rootObjectCount
        fileSize
        url
        partialDataUrl
        createdAt
        completedAt
      }
    }
  }
`;

export type BulkOperationStatus = "CANCELED" | "CANCELING" | "COMPLETED" | "CREATED" | "EXPIRED" | "FAILED" | "RUNNING";

export interface BulkOperation {
  id: string;
  status: BulkOperationStatus;
  /** ACCESS_DENIED | INTERNAL_SERVER_ERROR | TIMEOUT when the operation failed. */
  errorCode: string | null;
  objectCount: number;
  rootObjectCount: number;
  /** Bytes of the result file; null until there is one. */
  fileSize: number | null;
  url: string | null;
  partialDataUrl: string | null;
  createdAt: string;
  completedAt: string | null;
}

/** As Shopify sends it: counts and sizes are UnsignedInt64, serialised as strings. */
interface BulkOperationNode {
  id: string;
  status: BulkOperationStatus;
  errorCode: string | null;
  objectCount: string;
  rootObjectCount: string;
  fileSize: string | null;
  url: string | null;
  partialDataUrl: string | null;
  createdAt: string;
  completedAt: string | null;
}

interface BulkOperationData {
  /** `{}` when the id names something that is not a BulkOperation. */
  node: Partial<BulkOperationNode> | null;
}

function toNumber(value: string | null | undefined): number | null {
  if (value === null || value === undefined) return null;
  const number = Number(value);
  return Number.isFinite(number) ? number : null;
}

export async function getBulkOperation(api: AdminApi, id: string): Promise<BulkOperation | null> {
  const data = await api.request<BulkOperationData>("BulkOperationById", BULK_OPERATION_QUERY, { id });
  const node = data.node;
  if (!node?.id || !node.status || !node.createdAt) return null;
  return {
    id: node.id,
    status: node.status,
    errorCode: node.errorCode ?? null,
    objectCount: toNumber(node.objectCount) ?? 0,
    rootObjectCount: toNumber(node.rootObjectCount) ?? 0,
    fileSize: toNumber(node.fileSize),
    url: node.url ?? null,
    partialDataUrl: node.partialDataUrl ?? null,
    createdAt: node.createdAt,
    completedAt: node.completedAt ?? null,
  };
}

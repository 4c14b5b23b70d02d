import { numericId } from "~/components/channels/format";

/** Collections are stored by GID only (the snapshot has no collection titles yet). */
export function collectionLabel(gid: string): string {
  return `Collection ${numericId(gid)}`;
}

/** Turns what a request threw into a report row: the target's status and scimType (RFC 7644 §3.12). */
import { isScimError } from "@scimkit/core";
import type { SyncFailure } from "../types.js";

/** The failure of one row (or key) from an error; network failures and timeouts get status 0. */
export function failureOf(
  error: unknown,
  where: { row?: number | undefined; key?: string | undefined },
): SyncFailure {
  const at: Pick<SyncFailure, "row" | "key"> = {
    ...(where.row === undefined ? {} : { row: where.row }),
    ...(where.key === undefined ? {} : { key: where.key }),
  };
  if (isScimError(error))
    return {
      ...at,
      status: error.status,
      ...(error.scimType === undefined ? {} : { scimType: error.scimType }),
      detail: error.detail || error.message,
    };
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return { ...at, status: 0, detail: message };
}

/**
 * Sends user creates, updates and deactivations through /Bulk (RFC 7644 §3.7) when the target
 * advertises it; the client splits each batch by the server's maxOperations and maxPayloadSize.
 * Operations the server did not process (a request failed as a whole) are sent one by one instead.
 */
import type { BulkOperation } from "@scimkit/client";
import { isScimError } from "@scimkit/core";
import type { PlannedAction } from "../types.js";
import type { Writer } from "./writer.js";

const PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

export type UserAction = Extract<PlannedAction, { kind: "create" | "update" | "deactivate" }>;

function operationOf(action: UserAction, patch: boolean): BulkOperation {
  if (action.kind === "create")
    return { method: "POST", path: "/Users", bulkId: `row${action.row}`, data: action.body };
  const path = `/Users/${encodeURIComponent(action.id)}`;
  if (!patch) {
    const { id: _i, meta: _m, groups: _g, ...data } = action.replacement;
    return { method: "PUT", path, data };
  }
  const Operations =
    action.kind === "update" ? action.operations : [{ op: "replace", path: "active", value: false }];
  return { method: "PATCH", path, data: { schemas: [PATCH_OP], Operations } };
}

/** One by one, as {@link Writer} does it. */
export async function single(writer: Writer, action: UserAction): Promise<void> {
  if (action.kind === "create") return writer.create(action);
  if (action.kind === "update") return writer.update(action);
  return writer.deactivate(action);
}

/** Sends one batch through /Bulk and records each operation's outcome. */
export async function sendBulk(writer: Writer, batch: readonly UserAction[]): Promise<void> {
  let result: Awaited<ReturnType<Writer["client"]["bulk"]>>;
  try {
    result = await writer.client.bulk(batch.map((a) => operationOf(a, writer.patch)));
  } catch {
    // The first request failed as a whole (nothing applied): each operation gets its own request.
    for (const action of batch) await single(writer, action);
    return;
  }
  for (const op of result.operations) {
    const action = batch[op.index];
    if (action === undefined) continue;
    if (op.outcome === "ok") {
      if (action.kind === "create" && action.groups !== undefined && op.id !== undefined)
        writer.created.set(action.key, op.id);
      writer.done(
        action,
        action.kind === "create" ? "created" : action.kind === "update" ? "updated" : "deactivated",
      );
    } else if (op.outcome === "skipped") await single(writer, action);
    else if (action.kind === "create" && op.status === 409) await writer.recover(action, op.error);
    else writer.fail(isScimError(op.error) ? op.error : op, action);
  }
}

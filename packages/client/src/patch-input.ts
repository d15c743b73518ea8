/** What `patch` and the bulk builder's `patch` take, as the operations to send. */
import { builderFor } from "./patch-builder.js";
import { listValues, type MultiValued, type PatchOperation } from "./patch-operation.js";
import type { PatchInput, PatchRequest, ResourceModel } from "./types.js";

/** The operations a {@link PatchInput} stands for, with the values of multi-valued attributes as lists. */
export function patchOperations(
  input: PatchInput<ResourceModel>,
  multiValued: MultiValued,
): PatchOperation[] {
  let operations: readonly PatchOperation[];
  if (typeof input === "function") {
    const built = input(builderFor(multiValued) as never);
    operations = Array.isArray(built) ? built : [built as PatchOperation];
  } else operations = Array.isArray(input) ? input : (input as PatchRequest).Operations;
  return operations.map((operation) => listValues(operation, multiValued));
}

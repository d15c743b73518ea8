/**
 * `client.bulk`: the bulk builder and the server's limits. The engine that splits, orders and sends the
 * operations (`bulk.ts`) is loaded on first use.
 */
import { isScimError, PATCH_OP_URN, ScimError } from "@scimkit/core";
import type { BulkHandle, BulkOperation, BulkOptions, BulkResult } from "./bulk.js";
import { patchOperations } from "./patch-input.js";
import type { MultiValued } from "./patch-operation.js";
import { jsonInit, type Transport } from "./transport.js";
import type { BulkBuilder, PatchInput, ResourceModel, ServiceProviderConfig, WriteOptions } from "./types.js";

/** The `bulk` method of a client. */
export function createBulk<M extends object>(
  call: Transport["call"],
  serviceProviderConfig: () => Promise<ServiceProviderConfig>,
  endpointOf: (name: string) => string,
  multiValuedOf: (resourceType: string) => MultiValued,
) {
  const bulk = async (
    input: ((builder: BulkBuilder<M>) => void) | readonly BulkOperation[],
    bulkOptions: BulkOptions = {},
  ): Promise<BulkResult> => {
    const operations = typeof input === "function" ? buildBulk(input, endpointOf, multiValuedOf) : [...input];
    let { maxOperations, maxPayloadSize } = bulkOptions;
    if (maxOperations === undefined || maxPayloadSize === undefined) {
      // a server without a readable ServiceProviderConfig (404, 501) gets one request; it answers 413 if too big
      const limits = await serviceProviderConfig().then(
        (config) => config.bulk,
        (error: unknown) => {
          if (isScimError(error) && (error.status === 404 || error.status === 501)) return undefined;
          throw error;
        },
      );
      if (limits?.supported === false) {
        throw new ScimError({
          status: 501,
          detail:
            "the server's ServiceProviderConfig says bulk.supported is false (RFC 7644 §3.7); send the operations one by one",
        });
      }
      maxOperations ??= limits?.maxOperations ?? Number.POSITIVE_INFINITY;
      maxPayloadSize ??= limits?.maxPayloadSize ?? Number.POSITIVE_INFINITY;
    }
    // loaded on first use, like the PUT fallback: clients that never send bulk requests do not carry it
    const { runBulk } = await import("./bulk.js");
    return runBulk(operations, { ...bulkOptions, maxOperations, maxPayloadSize }, (chunk) =>
      call("Bulk", "Bulk", jsonInit("post", chunk.body)),
    );
  };
  return bulk;
}

/** Collects the operations a bulk builder callback adds, with bulkIds for every POST. */
function buildBulk<M extends object>(
  build: (builder: BulkBuilder<M>) => void,
  endpointOf: (name: string) => string,
  multiValuedOf: (resourceType: string) => MultiValued,
): BulkOperation[] {
  const operations: BulkOperation[] = [];
  const used = new Set<string>();
  const add = (operation: BulkOperation): BulkHandle<never> => {
    if (operation.bulkId !== undefined) {
      if (used.has(operation.bulkId)) throw new TypeError(`bulkId "${operation.bulkId}" is used twice`);
      used.add(operation.bulkId);
    }
    const index = operations.push(operation) - 1;
    return { index, bulkId: operation.bulkId, ref: `bulkId:${operation.bulkId ?? ""}` };
  };
  const target = (type: string, id: string | BulkHandle) => {
    const endpoint = endpointOf(type).replace(/\/+$/, "");
    if (typeof id === "string") return `${endpoint}/${encodeURIComponent(id)}`;
    if (id.bulkId === undefined) throw new TypeError(`operation ${id.index} has no bulkId to refer to`);
    return `${endpoint}/${id.ref}`;
  };
  const version = (write?: WriteOptions) => (write?.ifMatch === undefined ? {} : { version: write.ifMatch });
  const builder: BulkBuilder<M> = {
    create: (type, body, create = {}) => {
      let bulkId = create.bulkId;
      for (let n = operations.length + 1; bulkId === undefined || used.has(bulkId); n++) bulkId = `op${n}`;
      return add({ method: "POST", path: endpointOf(type), bulkId, data: body });
    },
    replace: (type, id, body, write) =>
      add({ method: "PUT", path: target(type, id), ...version(write), data: body }),
    patch: (type, id, input, write) =>
      add({
        method: "PATCH",
        path: target(type, id),
        ...version(write),
        data: {
          schemas: [PATCH_OP_URN],
          Operations: patchOperations(input as PatchInput<ResourceModel>, multiValuedOf(type)),
        },
      }),
    delete: (type, id, write) => add({ method: "DELETE", path: target(type, id), ...version(write) }),
    operation: (operation) => add({ ...operation }),
  };
  build(builder);
  return operations;
}

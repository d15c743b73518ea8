import {
  BULK_ID_PATH,
  BULK_RESPONSE_URN,
  isScimError,
  type ResourceTypeDefinition,
  replaceBulkIds,
  ScimError,
} from "@scimkit/core";
import type { StoredResource } from "../stores/store.js";
import { createBatch, type PreparedCreate, prepareCreate } from "./bulk-creates.js";
import { type Call, json } from "./call.js";
import { etag, versionOf } from "./conditional.js";
import { deleteResource, patchResource, replaceResource } from "./resources.js";

/** How deep into an operation's data bulkId references are looked for. */
export const BULK_REFERENCE_DEPTH = 32;

/** One operation of a bulk request, checked (bulk.ts) and not yet run. */
export interface BulkOperation {
  /** Its position in the request's `Operations`. */
  readonly index: number;
  readonly method: string;
  readonly path: string;
  readonly bulkId: string | undefined;
  readonly data: unknown;
  readonly version: string | undefined;
  /** The bulkIds its path and data refer to. */
  readonly refs: ReadonlySet<string>;
}

type Result = Record<string, unknown>;

/**
 * Runs a bulk request's operations in `order` (a bulkId is created before it is referenced) and
 * answers the BulkResponse, each operation's result at its place in the request (RFC 7644 §3.7.3).
 *
 * Every operation succeeds or fails on its own, as one request after another would: a failure is its
 * result and the others go on, until `failOnErrors` errors have been counted. Consecutive POSTs of one
 * resource type that do not refer to one another go to the store together (`ScimStore.createMany`,
 * one INSERT for a run of Users on PostgreSQL) with the same outcomes, audit events and records per
 * operation as one `createResource` each; every other operation, and a POST that refers to a bulkId
 * still in the batch, first waits for the batch to be written.
 */
export async function runOperations(
  call: Call,
  operations: readonly BulkOperation[],
  order: readonly BulkOperation[],
  failOnErrors: number | undefined,
): Promise<Response> {
  const ids = new Map<string, string>();
  const results = new Map<number, Result>();
  let errors = 0;
  const stopped = () => failOnErrors !== undefined && errors >= failOnErrors;
  let batch: { op: BulkOperation; result: Result; prepared: PreparedCreate }[] = [];
  const batchIds = new Set<string>();

  const flush = async () => {
    if (batch.length === 0) return;
    const running = batch;
    batch = [];
    batchIds.clear();
    const outcomes = await createBatch(
      call,
      running.map((entry) => entry.prepared),
      failOnErrors === undefined ? undefined : failOnErrors - errors,
    );
    outcomes.forEach((outcome, i) => {
      const { op, result } = running[i] as (typeof running)[number];
      if ("error" in outcome) {
        errors++;
        failed(result, outcome.error);
      } else {
        if (op.bulkId !== undefined) ids.set(op.bulkId, outcome.stored.id);
        succeeded(result, 201, call, (running[i] as (typeof running)[number]).prepared.type, outcome.stored);
      }
      results.set(op.index, result);
    });
  };

  for (const op of order) {
    if (op.method !== "POST" || [...op.refs].some((ref) => batchIds.has(ref))) await flush();
    if (stopped()) break;
    const result: Result = {
      method: op.method,
      ...(op.bulkId !== undefined && { bulkId: op.bulkId }),
      ...(op.version !== undefined && { version: op.version }),
    };
    try {
      const { type, id, data } = target(call, op, ids);
      // RFC 7644 §3.7.3: "location" is required in every result except a failed POST.
      if (id !== undefined) result.location = `${call.base}${type.endpoint}/${id}`;
      if (op.method === "POST") {
        // Validated now (pure); created, refused or reported with the batch, in order.
        if (batch.length > 0 && batch[0]?.prepared.type.name !== type.name) {
          await flush();
          if (stopped()) break;
        }
        batch.push({ op, result, prepared: prepareCreate(call, type, data, op.bulkId) });
        if (op.bulkId !== undefined) batchIds.add(op.bulkId);
        continue;
      }
      const ifVersion = op.version === undefined ? undefined : versionOf(op.version);
      const v = typeof ifVersion === "number" ? ifVersion : undefined;
      let outcome: { status: number; stored?: StoredResource };
      if (op.method === "PUT")
        outcome = await replaceResource(call, type.name, id as string, data, v, op.bulkId);
      else if (op.method === "PATCH")
        outcome = await patchResource(call, type.name, id as string, data, v, op.bulkId);
      else outcome = await deleteResource(call, type.name, id as string, v, op.bulkId);
      succeeded(result, outcome.status, call, type, outcome.stored);
    } catch (error) {
      if (!isScimError(error)) throw error;
      // A POST refused before it reached the batch (its path or a bulkId reference) counts after the batch.
      await flush();
      if (stopped()) break;
      errors++;
      failed(result, error);
    }
    results.set(op.index, result);
  }
  await flush();
  const Operations = operations.filter((op) => results.has(op.index)).map((op) => results.get(op.index));
  return json(200, { schemas: [BULK_RESPONSE_URN], Operations });
}

/** The resource type, id and data an operation acts on, with its bulkId references resolved (RFC 7644 §3.7.2). */
function target(
  call: Call,
  op: BulkOperation,
  ids: ReadonlyMap<string, string>,
): { type: ResourceTypeDefinition; id: string | undefined; data: unknown } {
  const pathRef = BULK_ID_PATH.exec(op.path);
  const pathId = pathRef ? ids.get(pathRef[2] as string) : undefined;
  if (pathRef && pathId === undefined)
    throw ScimError.invalidValue(
      `"${op.path}" refers to a bulkId that has not been created (RFC 7644 §3.7.2)`,
    );
  const path = pathRef ? `${pathRef[1]}${pathId}` : op.path;
  const data = replaceBulkIds(
    op.data,
    (bulkId, text) => {
      const id = ids.get(bulkId);
      if (id === undefined)
        throw ScimError.invalidValue(
          `"${text}" refers to a bulkId that has not been created (RFC 7644 §3.7.2)`,
        );
      return id;
    },
    BULK_REFERENCE_DEPTH,
  );
  const segments = path.replace(/^\/+/, "").split("/");
  const type = call.env.registry.resourceType(`/${segments[0] ?? ""}`);
  if (!type || segments.length > 2)
    throw ScimError.invalidPath(`"${op.path}" is not a resource endpoint of this service`);
  const id = segments[1];
  if ((op.method === "POST") !== (id === undefined))
    throw ScimError.invalidPath(
      `${op.method} needs ${op.method === "POST" ? "a resource endpoint such as /Users" : "a resource path such as /Users/{id}"}`,
    );
  return { type, id, data };
}

function succeeded(
  result: Result,
  status: number,
  call: Call,
  type: ResourceTypeDefinition,
  stored: StoredResource | undefined,
): void {
  result.status = String(status);
  if (stored) {
    result.location = `${call.base}${type.endpoint}/${stored.id}`;
    result.version = etag(stored);
  }
}

function failed(result: Result, error: ScimError): void {
  result.status = String(error.status);
  result.response = error.toJSON();
}

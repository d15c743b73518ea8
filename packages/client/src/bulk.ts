import { BULK_ID_PATH, BULK_REQUEST_URN, bulkIdReferences, replaceBulkIds, ScimError } from "@scimkit/core";

/** One operation of a bulk request as it goes on the wire (RFC 7644 §3.7). */
export interface BulkOperation {
  method: "POST" | "PUT" | "PATCH" | "DELETE";
  /** `/Users` for a POST, `/Users/{id}` (or `/Users/bulkId:{bulkId}`) otherwise. */
  path: string;
  /** Required by many servers on POST; lets other operations refer to the new resource as `bulkId:{bulkId}`. */
  bulkId?: string;
  /** The ETag the resource must still have (RFC 7644 §3.7, §3.14). */
  version?: string;
  /** The POST/PUT body or the PatchOp. */
  data?: unknown;
}

/** Options of `client.bulk` (RFC 7644 §3.7). */
export interface BulkOptions {
  /** Errors after which the server stops processing (`failOnErrors`); counted across split requests. Default: none (the server carries on). */
  failOnErrors?: number;
  /** Most operations per request; default the server's `bulk.maxOperations` (ServiceProviderConfig). */
  maxOperations?: number;
  /** Largest request body in bytes; default the server's `bulk.maxPayloadSize` (ServiceProviderConfig). */
  maxPayloadSize?: number;
}

/**
 * What happened to one operation. `outcome` is `"ok"` (2xx), `"failed"` (the server's error, as a
 * `ScimError`) or `"skipped"` (never processed: `failOnErrors` was reached first, or a request before
 * it failed as a whole).
 */
export type BulkOperationResult<T = unknown> = {
  /** Position of the operation in the order it was added. */
  readonly index: number;
  readonly method: BulkOperation["method"];
  readonly path: string;
  readonly bulkId?: string;
} & (
  | {
      readonly outcome: "ok";
      readonly status: number;
      /** The resource's URL (RFC 7644 §3.7.3); absent when a server leaves it out. */
      readonly location?: string;
      /** The resource id: the last segment of `location`, or the `id` of the returned resource. */
      readonly id?: string;
      readonly version?: string;
      /** The resource, when the server returns it (it MAY omit it, RFC 7644 §3.7.3). */
      readonly resource?: T;
    }
  | {
      readonly outcome: "failed";
      readonly status: number;
      readonly error: ScimError;
      readonly location?: string;
    }
  | { readonly outcome: "skipped"; readonly reason: string }
);

/** A reference to an operation added with the bulk builder; `ref` is `bulkId:{bulkId}` for use in other operations' data. */
export interface BulkHandle<T = unknown> {
  readonly index: number;
  readonly bulkId: string | undefined;
  /** `bulkId:{bulkId}` — put it where the new resource's id goes (`members: [{ value: alice.ref }]`, RFC 7644 §3.7.2). */
  readonly ref: string;
  /** Phantom: the resource type of the result. */
  readonly __resource?: T;
}

/** Result of `client.bulk`: every operation's outcome in the order added, and how many requests it took. */
export interface BulkResult {
  readonly operations: readonly BulkOperationResult[];
  /** Operations that failed (not counting skipped ones). */
  readonly errors: number;
  /** Bulk requests sent (more than one when split by `maxOperations` / `maxPayloadSize`). */
  readonly requests: number;
  /** The typed result of an operation added through the builder. */
  of<T>(handle: BulkHandle<T>): BulkOperationResult<T>;
}

const encoder = new TextEncoder();
const bytes = (text: string) => encoder.encode(text).length;

/** How deep into an operation's data bulkId references are looked for. */
const REFERENCE_DEPTH = 64;

/** The bulkIds an operation refers to, in its data and in its path. */
export function references(operation: BulkOperation): Set<string> {
  const found = bulkIdReferences(operation.data, new Set(), REFERENCE_DEPTH);
  const inPath = BULK_ID_PATH.exec(operation.path);
  if (inPath) found.add(inPath[2] as string);
  return found;
}

/** The operation with `bulkId:X` replaced by the id the server assigned, for every X an earlier request created. */
function resolved(operation: BulkOperation, ids: ReadonlyMap<string, string>): BulkOperation {
  const inPath = BULK_ID_PATH.exec(operation.path);
  const id = inPath ? ids.get(inPath[2] as string) : undefined;
  const path = inPath && id !== undefined ? `${inPath[1]}${id}` : operation.path;
  if (operation.data === undefined) return { ...operation, path };
  const data = replaceBulkIds(operation.data, (bulkId, text) => ids.get(bulkId) ?? text, REFERENCE_DEPTH);
  return { ...operation, path, data };
}

/**
 * Orders operations so that each one comes after the POSTs whose bulkIds it refers to (RFC 7644 §3.7:
 * "before a User can be added to a Group, they must first be created"), keeping the given order
 * otherwise. Splitting can then only ever refer back to requests already answered.
 */
export function dependencyOrder(operations: readonly BulkOperation[]): number[] {
  const creator = new Map<string, number>();
  operations.forEach((op, index) => {
    if (op.bulkId !== undefined && op.method === "POST") creator.set(op.bulkId, index);
  });
  const order: number[] = [];
  const state = new Uint8Array(operations.length); // 0 new, 1 visiting, 2 placed
  const place = (index: number) => {
    if (state[index] !== 0) return; // placed, or part of a cycle (the server answers those with 409)
    state[index] = 1;
    for (const ref of references(operations[index] as BulkOperation)) {
      const target = creator.get(ref);
      if (target !== undefined && target !== index) place(target);
    }
    state[index] = 2;
    order.push(index);
  };
  for (let index = 0; index < operations.length; index++) place(index);
  return order;
}

/** Size in bytes of a BulkRequest with these operations' JSON texts. */
function envelopeBytes(failOnErrors: number | undefined): number {
  return bytes(
    JSON.stringify({
      schemas: [BULK_REQUEST_URN],
      ...(failOnErrors !== undefined && { failOnErrors }),
      Operations: [],
    }),
  );
}

interface Limits {
  maxOperations: number;
  maxPayloadSize: number;
}

/** One split request: the operations' indexes and the body to send. */
export interface BulkChunk {
  indexes: number[];
  body: { schemas: string[]; failOnErrors?: number; Operations: BulkOperation[] };
}

/**
 * Sends operations as one or more BulkRequests within the server's limits (RFC 7644 §3.7.4), resolving
 * bulkIds created by earlier requests into real ids, and counting `failOnErrors` across requests.
 */
export async function runBulk(
  operations: readonly BulkOperation[],
  options: BulkOptions & Limits,
  send: (chunk: BulkChunk) => Promise<unknown>,
): Promise<BulkResult> {
  const { maxOperations, maxPayloadSize, failOnErrors } = options;
  if (!(maxOperations >= 1)) throw new RangeError(`maxOperations must be at least 1 (got ${maxOperations})`);
  const results: (BulkOperationResult | undefined)[] = new Array(operations.length);
  const pending = dependencyOrder(operations);
  const ids = new Map<string, string>();
  const failedIds = new Set<string>();
  let errors = 0;
  let requests = 0;

  const record = (index: number, result: BulkOperationResult) => {
    results[index] = result;
    if (result.outcome === "failed") {
      errors++;
      const bulkId = operations[index]?.bulkId;
      if (bulkId !== undefined) failedIds.add(bulkId);
    }
  };
  const base = (index: number) => {
    const op = operations[index] as BulkOperation;
    return { index, method: op.method, path: op.path, ...(op.bulkId !== undefined && { bulkId: op.bulkId }) };
  };

  // An operation too large for any request fails the call before anything is sent (RFC 7644 §3.7.4).
  const smallest = envelopeBytes(failOnErrors);
  operations.forEach((op, index) => {
    const alone = smallest + bytes(JSON.stringify(op));
    if (alone > maxPayloadSize) throw tooLarge(index, op, alone, maxPayloadSize);
  });

  let cursor = 0;
  while (cursor < pending.length) {
    const budget = failOnErrors === undefined ? undefined : failOnErrors - errors;
    if (budget !== undefined && budget <= 0) break;
    const envelope = envelopeBytes(budget);
    const chunk: BulkChunk = {
      indexes: [],
      body: {
        schemas: [BULK_REQUEST_URN],
        ...(budget !== undefined && { failOnErrors: budget }),
        Operations: [],
      },
    };
    let size = envelope;
    while (cursor < pending.length && chunk.indexes.length < maxOperations) {
      const index = pending[cursor] as number;
      const op = operations[index] as BulkOperation;
      const dead = [...references(op)].find((ref) => failedIds.has(ref));
      if (dead !== undefined) {
        // its bulkId never became a resource: the server could only answer 409 (RFC 7644 §3.7.2)
        record(index, {
          ...base(index),
          outcome: "failed",
          status: 409,
          error: new ScimError({
            status: 409,
            detail: `operation ${index} (${op.method} ${op.path}) refers to bulkId "${dead}", whose POST failed; it was not sent`,
          }),
        });
        cursor++;
        continue;
      }
      const wire = resolved(op, ids);
      const opBytes = bytes(JSON.stringify(wire)) + (chunk.indexes.length > 0 ? 1 : 0);
      if (size + opBytes > maxPayloadSize) {
        if (chunk.indexes.length > 0) break;
        // only reachable after the first request: resolved ids made it longer than bulkId references
        record(index, {
          ...base(index),
          outcome: "failed",
          status: 413,
          error: tooLarge(index, op, envelope + opBytes, maxPayloadSize),
        });
        cursor++;
        continue;
      }
      size += opBytes;
      chunk.indexes.push(index);
      chunk.body.Operations.push(wire);
      cursor++;
    }
    if (chunk.indexes.length === 0) continue;
    if (failOnErrors !== undefined) {
      // operations failed while the request was put together (references to failed POSTs) count too
      const remaining = failOnErrors - errors;
      if (remaining <= 0) {
        for (const index of chunk.indexes) {
          results[index] = {
            ...base(index),
            outcome: "skipped",
            reason: `failOnErrors (${failOnErrors}) was reached`,
          };
        }
        break;
      }
      chunk.body.failOnErrors = remaining;
    }

    let matched: (Answer | undefined)[];
    try {
      matched = matchResults(chunk, await send(chunk));
      requests++;
    } catch (error) {
      if (requests === 0) throw error; // nothing applied yet: the whole call fails
      const reason = `the bulk request carrying it failed as a whole: ${error instanceof Error ? error.message : String(error)}`;
      for (const index of [...chunk.indexes, ...pending.slice(cursor)]) {
        if (results[index] === undefined) results[index] = { ...base(index), outcome: "skipped", reason };
      }
      break;
    }
    chunk.indexes.forEach((index, position) => {
      const found = matched[position];
      if (found === undefined) {
        record(index, {
          ...base(index),
          outcome: "skipped",
          reason: "the server stopped before it (failOnErrors reached)",
        });
        return;
      }
      const result = toResult(base(index), found);
      record(index, result);
      const bulkId = operations[index]?.bulkId;
      if (bulkId !== undefined && result.outcome === "ok" && result.id !== undefined)
        ids.set(bulkId, result.id);
    });
  }
  for (const index of pending) {
    if (results[index] === undefined) {
      results[index] = {
        ...base(index),
        outcome: "skipped",
        reason: `failOnErrors (${failOnErrors}) was reached`,
      };
    }
  }
  const operationsOut = results as BulkOperationResult[];
  return {
    operations: operationsOut,
    errors,
    requests,
    of: <T>(handle: BulkHandle<T>) => operationsOut[handle.index] as BulkOperationResult<T>,
  };
}

type Answer = Record<string, unknown>;

function tooLarge(index: number, op: BulkOperation, size: number, max: number): ScimError {
  return new ScimError({
    status: 413,
    detail: `bulk operation ${index} (${op.method} ${op.path}) alone is ${size} bytes in a BulkRequest, more than the server's maxPayloadSize of ${max} bytes (RFC 7644 §3.7.4); send it as a single request instead`,
  });
}

/** The id at the end of a resource URL, or undefined when there is none (or it is not valid percent-encoding). */
function lastSegment(location: string): string | undefined {
  const segment = location.replace(/\/+$/, "").split("/").pop() ?? "";
  try {
    return decodeURIComponent(segment) || undefined;
  } catch {
    return undefined;
  }
}

/** Pairs each sent operation with the server's result: by bulkId, then in order by method (RFC 7644 §3.7.3). */
function matchResults(chunk: BulkChunk, answer: unknown): (Answer | undefined)[] {
  const list = (answer as { Operations?: unknown } | null)?.Operations;
  if (!Array.isArray(list)) {
    throw new ScimError({
      status: 502,
      detail: `the bulk response has no "Operations" array (RFC 7644 §3.7.3)`,
    });
  }
  const answers = list.filter((a): a is Answer => typeof a === "object" && a !== null);
  const used = new Set<Answer>();
  const out: (Answer | undefined)[] = chunk.body.Operations.map((op) => {
    if (op.bulkId === undefined) return undefined;
    const found = answers.find((a) => !used.has(a) && a.bulkId === op.bulkId);
    if (found) used.add(found);
    return found;
  });
  chunk.body.Operations.forEach((op, position) => {
    if (out[position] !== undefined) return;
    const found = answers.find(
      (a) =>
        !used.has(a) && a.bulkId === undefined && String(a.method ?? op.method).toUpperCase() === op.method,
    );
    if (found) {
      used.add(found);
      out[position] = found;
    }
  });
  return out;
}

function toResult(
  base: { index: number; method: BulkOperation["method"]; path: string; bulkId?: string },
  answer: Answer,
): BulkOperationResult {
  const status = Number(answer.status);
  const location = typeof answer.location === "string" ? answer.location : undefined;
  if (!(status >= 200 && status < 300)) {
    const error =
      ScimError.fromBody(answer.response, Number.isInteger(status) && status >= 400 ? status : 500) ??
      new ScimError({
        status: Number.isInteger(status) && status >= 400 && status <= 599 ? status : 500,
        detail: `bulk operation ${base.index} (${base.method} ${base.path}) failed with status ${String(answer.status)} and no SCIM Error response`,
      });
    return {
      ...base,
      outcome: "failed",
      status: error.status,
      error,
      ...(location !== undefined && { location }),
    };
  }
  const resource =
    typeof answer.response === "object" && answer.response !== null ? answer.response : undefined;
  const fromResource = (resource as { id?: unknown } | undefined)?.id;
  const id =
    typeof fromResource === "string"
      ? fromResource
      : location !== undefined
        ? lastSegment(location)
        : undefined;
  const version = typeof answer.version === "string" ? answer.version : undefined;
  return {
    ...base,
    outcome: "ok",
    status,
    ...(location !== undefined && { location }),
    ...(id !== undefined && { id }),
    ...(version !== undefined && { version }),
    ...(resource !== undefined && { resource }),
  };
}

import {
  BULK_ID_PATH,
  BULK_REQUEST_URN,
  BULK_RESPONSE_URN,
  bulkIdReferences,
  isScimError,
  replaceBulkIds,
  ScimError,
} from "@scimkit/core";
import { isPlainObject } from "../resource/context.js";
import type { StoredResource } from "../stores/store.js";
import { findBadCharacter } from "../stores/text.js";
import { type Call, json } from "./call.js";
import { etag, versionOf } from "./conditional.js";
import { quote } from "./errors.js";
import { integer } from "./list.js";
import { createResource, deleteResource, patchResource, replaceResource } from "./resources.js";
import { badCharacterDetail } from "./strings.js";

/** How deep into an operation's data bulkId references are looked for. */
const BULK_REFERENCE_DEPTH = 32;

export async function bulk(call: Call, body: unknown): Promise<Response> {
  const { env } = call;
  if (!isPlainObject(body) || !Array.isArray(body.Operations)) {
    throw ScimError.invalidSyntax(
      `a bulk request needs "schemas": ["${BULK_REQUEST_URN}"] and an "Operations" array (RFC 7644 §3.7)`,
    );
  }
  const operations = body.Operations as unknown[];
  if (operations.length > env.maxBulkOperations) {
    throw new ScimError({
      status: 413,
      detail: `the bulk request has ${operations.length} operations; at most ${env.maxBulkOperations} are accepted (maxOperations, RFC 7644 §3.7.4)`,
    });
  }
  const failOnErrors = integer(body.failOnErrors, "failOnErrors");
  const parsed = operations.map((raw, index) => {
    if (!isPlainObject(raw))
      throw ScimError.invalidSyntax(`Operations[${index}] must be an object with "method" and "path"`);
    const method = typeof raw.method === "string" ? raw.method.toUpperCase() : "";
    if (!["POST", "PUT", "PATCH", "DELETE"].includes(method))
      throw ScimError.invalidSyntax(`Operations[${index}].method must be POST, PUT, PATCH or DELETE`);
    if (typeof raw.path !== "string")
      throw ScimError.invalidSyntax(`Operations[${index}].path must be a string such as "/Users"`);
    const bulkId = typeof raw.bulkId === "string" ? raw.bulkId : undefined;
    // No store holds NUL or a lone surrogate, and no resource endpoint or bulkId reference contains one.
    for (const [name, value] of [
      ["path", raw.path],
      ["bulkId", bulkId],
    ] as const) {
      const bad = value === undefined ? undefined : findBadCharacter(value);
      if (bad) throw ScimError.invalidValue(badCharacterDetail(`Operations[${index}].${name}`, bad));
    }
    if (method === "POST" && bulkId === undefined)
      throw ScimError.invalidSyntax(`Operations[${index}]: a POST needs a "bulkId" (RFC 7644 §3.7)`);
    const refs = new Set<string>();
    bulkIdReferences(raw.data, refs, BULK_REFERENCE_DEPTH);
    const pathRef = BULK_ID_PATH.exec(raw.path);
    if (pathRef) refs.add(pathRef[2] as string);
    return {
      index,
      method,
      path: raw.path,
      bulkId,
      data: raw.data,
      version: typeof raw.version === "string" ? raw.version : undefined,
      refs,
    };
  });
  const byBulkId = new Map<string, (typeof parsed)[number]>();
  for (const op of parsed) {
    if (op.bulkId === undefined) continue;
    const first = byBulkId.get(op.bulkId);
    // RFC 7644 §3.7: a bulkId is "unique within a bulk request"; a second one would make references ambiguous.
    if (first)
      throw ScimError.invalidValue(
        `Operations[${first.index}] and Operations[${op.index}] have the same bulkId ${quote(op.bulkId)}; each bulkId must be unique within a bulk request (RFC 7644 §3.7)`,
      );
    byBulkId.set(op.bulkId, op);
  }
  // RFC 7644 §3.7.1: reject circular bulkId references instead of looping.
  const visiting = new Set<string>();
  const done = new Set<string>();
  const visit = (id: string, chain: string[]) => {
    if (done.has(id)) return;
    if (visiting.has(id))
      throw new ScimError({
        status: 409,
        detail: `circular bulkId references: ${[...chain, id].join(" → ")} (RFC 7644 §3.7.1)`,
      });
    visiting.add(id);
    for (const ref of byBulkId.get(id)?.refs ?? []) visit(ref, [...chain, id]);
    visiting.delete(id);
    done.add(id);
  };
  for (const id of byBulkId.keys()) visit(id, []);

  // Operations run in an order where a bulkId is created before it is referenced.
  const order: typeof parsed = [];
  const placed = new Set<number>();
  const place = (op: (typeof parsed)[number]) => {
    if (placed.has(op.index)) return;
    placed.add(op.index);
    for (const ref of op.refs) {
      const target = byBulkId.get(ref);
      if (target) place(target);
    }
    order.push(op);
  };
  for (const op of parsed) place(op);

  const ids = new Map<string, string>();
  const results = new Map<number, Record<string, unknown>>();
  let errors = 0;
  for (const op of order) {
    if (failOnErrors !== undefined && errors >= failOnErrors) break;
    const result: Record<string, unknown> = {
      method: op.method,
      ...(op.bulkId !== undefined && { bulkId: op.bulkId }),
      ...(op.version !== undefined && { version: op.version }),
    };
    try {
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
      const type = env.registry.resourceType(`/${segments[0] ?? ""}`);
      if (!type || segments.length > 2)
        throw ScimError.invalidPath(`"${op.path}" is not a resource endpoint of this service`);
      const id = segments[1];
      if ((op.method === "POST") !== (id === undefined))
        throw ScimError.invalidPath(
          `${op.method} needs ${op.method === "POST" ? "a resource endpoint such as /Users" : "a resource path such as /Users/{id}"}`,
        );
      // RFC 7644 §3.7.3: "location" is required in every result except a failed POST.
      if (id !== undefined) result.location = `${call.base}${type.endpoint}/${id}`;
      const ifVersion = op.version === undefined ? undefined : versionOf(op.version);
      const v = typeof ifVersion === "number" ? ifVersion : undefined;
      let outcome: { status: number; stored?: StoredResource; id?: string };
      if (op.method === "POST") outcome = await createResource(call, type.name, data, op.bulkId);
      else if (op.method === "PUT")
        outcome = await replaceResource(call, type.name, id as string, data, v, op.bulkId);
      else if (op.method === "PATCH")
        outcome = await patchResource(call, type.name, id as string, data, v, op.bulkId);
      else outcome = await deleteResource(call, type.name, id as string, v, op.bulkId);
      if (op.bulkId !== undefined && outcome.id !== undefined) ids.set(op.bulkId, outcome.id);
      result.status = String(outcome.status);
      if (outcome.stored) {
        result.location = `${call.base}${type.endpoint}/${outcome.stored.id}`;
        result.version = etag(outcome.stored);
      }
    } catch (error) {
      if (!isScimError(error)) throw error;
      errors++;
      result.status = String(error.status);
      result.response = error.toJSON();
    }
    results.set(op.index, result);
  }
  const Operations = parsed.filter((op) => results.has(op.index)).map((op) => results.get(op.index));
  return json(200, { schemas: [BULK_RESPONSE_URN], Operations });
}

import { BULK_ID_PATH, BULK_REQUEST_URN, bulkIdReferences, ScimError } from "@scimkit/core";
import { isPlainObject } from "../resource/context.js";
import { findBadCharacter } from "../stores/text.js";
import { BULK_REFERENCE_DEPTH, type BulkOperation, runOperations } from "./bulk-run.js";
import type { Call } from "./call.js";
import { quote } from "./errors.js";
import { integer } from "./list.js";
import { badCharacterDetail } from "./strings.js";

/**
 * `POST /Bulk` (RFC 7644 §3.7): checks the request as a whole (its shape, `maxOperations`, unique
 * bulkIds, no circular references), orders the operations so that a bulkId is created before it is
 * referenced (§3.7.2), and runs them (bulk-run.ts).
 */
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
  const parsed = operations.map((raw, index): BulkOperation => {
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
  const byBulkId = new Map<string, BulkOperation>();
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
  const order: BulkOperation[] = [];
  const placed = new Set<number>();
  const place = (op: BulkOperation) => {
    if (placed.has(op.index)) return;
    placed.add(op.index);
    for (const ref of op.refs) {
      const target = byBulkId.get(ref);
      if (target) place(target);
    }
    order.push(op);
  };
  for (const op of parsed) place(op);

  return runOperations(call, parsed, order, failOnErrors);
}

// Operations on `schemas` itself, shared by add/replace (operations.ts) and remove (remove.ts): a module
// of its own so that neither imports the other.
import { ScimError } from "@scimkit/core";
import { checkNoDuplicateSchemas, checkNotOtherResourceType } from "../schemas-list.js";
import type { Op, Run, Target } from "./run.js";

export function isSchemas(target: Target): boolean {
  return target.attribute.name === "schemas" && target.extension === undefined;
}

/**
 * An operation on `schemas` itself. The list always names the base schema and the extensions whose
 * attributes are present (RFC 7644 §3.5.2: "Clients MAY implicitly modify the schemas attribute"), so
 * a valid value changes nothing; removing it, or a value that is not a list of this resource type's
 * schema URNs, fails.
 */
export function checkSchemasOperation(run: Run, op: Op, target: Target, value: unknown): void {
  if (op === "remove" || target.filter !== undefined)
    throw ScimError.mutability(
      `"${target.where}" is kept in step with the attributes present; remove the extension's attributes (or its URN path) instead`,
    );
  checkNotOtherResourceType(run.context, value);
  const list = Array.isArray(value) ? value : run.strict ? undefined : [value];
  if (run.strict && list?.every((urn) => typeof urn === "string")) checkNoDuplicateSchemas(list as string[]);
  const known = (urn: unknown) =>
    typeof urn === "string" &&
    (urn.toLowerCase() === run.context.base.id.toLowerCase() ||
      run.context.extensions.has(urn.toLowerCase()));
  if (list === undefined || list.length > run.mode.limits.maxValues || !list.every(known))
    throw ScimError.invalidValue(
      `"schemas" must be a list of schema URNs of ${run.context.type.name} (${[run.context.base.id, ...[...run.context.extensions.values()].map((e) => e.schema.id)].join(", ")})`,
    );
}

import { isForbiddenKey, isScimError, PATCH_OP_URN, ScimError } from "@scimkit/core";
import {
  inferResourceType,
  isPlainObject,
  type Limits,
  registryOf,
  resolveLimits,
  type SchemaOptions,
  typeContext,
} from "../context.js";
import { checkSinglePrimary, clip } from "../normalize.js";
import { applyOperation } from "./operations.js";
import { fail, OPS, type Operation, type Run } from "./run.js";
import { deepEqual } from "./values.js";

/**
 * Options of {@link applyPatch}.
 *
 * @example
 * applyPatch(group, body, { resourceType: "Group", strict: true });
 */
export interface PatchOptions extends SchemaOptions {
  /** The resource type (any case). Default: the resource's `meta.resourceType`, else from its `schemas`, else User. */
  readonly resourceType?: string;
  /**
   * Apply RFC 7644 §3.5.2 literally. By default the documented quirks of identity providers are accepted
   * (package README, "Lenient by default"): Entra ID's "Add"/"Replace"/"Remove", "True"/"False" strings,
   * path-less values with dotted or URN-qualified keys, `remove` of `members` with a value list,
   * unqualified extension attributes (`"path": "manager"`) and `urn:…:User.manager`, a one-element list
   * for a singular complex attribute; an `add` or `replace` through an `eq` filter that matches nothing
   * appends the element when it matches the filter; Okta's unchanged `id` inside a path-less value;
   * unknown attributes in path-less values are ignored. Default false.
   */
  readonly strict?: boolean;
  readonly limits?: Limits;
}

export function readOperations(request: unknown, strict: boolean, maxOperations: number): Operation[] {
  if (!isPlainObject(request))
    throw ScimError.invalidSyntax(
      'the PATCH body must be a JSON object with "schemas" and "Operations" (RFC 7644 §3.5.2)',
    );
  const schemas = request.schemas;
  const hasUrn =
    Array.isArray(schemas) &&
    schemas.some((s) => typeof s === "string" && s.toLowerCase() === PATCH_OP_URN.toLowerCase());
  if (strict && !hasUrn)
    throw ScimError.invalidSyntax(`"schemas" must be ["${PATCH_OP_URN}"] (RFC 7644 §3.5.2)`);
  const key = Object.keys(request).find((k) => k.toLowerCase() === "operations");
  const raw = key === undefined ? undefined : request[key];
  if (!Array.isArray(raw) || raw.length === 0) {
    throw ScimError.invalidSyntax(
      '"Operations" must be an array of one or more operations (RFC 7644 §3.5.2)',
    );
  }
  if (raw.length > maxOperations) {
    throw ScimError.invalidSyntax(
      `"Operations" has ${raw.length} operations; at most ${maxOperations} are accepted in one request`,
    );
  }
  return raw.map((item, index) => {
    if (!isPlainObject(item))
      fail(
        index,
        ScimError.invalidSyntax('an operation must be an object with "op", and "path" and/or "value"'),
      );
    const field = (name: string) => {
      if (name in item) return item[name];
      if (strict) return undefined;
      const found = Object.keys(item).find((k) => k.toLowerCase() === name);
      return found === undefined ? undefined : item[found];
    };
    const opText = field("op");
    const op =
      typeof opText === "string"
        ? strict
          ? OPS.find((o) => o === opText)
          : OPS.find((o) => o === opText.toLowerCase())
        : undefined;
    if (op === undefined) {
      fail(
        index,
        ScimError.invalidSyntax(
          `"op" must be "add", "remove" or "replace"${strict ? " (lower case, RFC 7644 §3.5.2)" : ""}, got ${typeof opText === "string" ? JSON.stringify(clip(opText)) : (JSON.stringify(opText) ?? "nothing").slice(0, 100)}`,
        ),
      );
    }
    const path = field("path");
    if (path !== undefined && path !== null && typeof path !== "string")
      fail(index, ScimError.invalidPath(`"path" must be a string, got ${typeof path}`));
    const value = field("value");
    return {
      op,
      ...(typeof path === "string" && path.trim() !== "" && { path: path.trim() }),
      ...(value !== undefined && { value }),
      index,
    };
  });
}

/**
 * Applies a SCIM PATCH request (RFC 7644 §3.5.2) to a resource and returns the new resource. Pure: the
 * input is never mutated. Atomic: every operation applies, or a `ScimError` is thrown and nothing
 * changed. Paths of every RFC form (`attr`, `attr.sub`, `urn:…:attr`, `attr[filter]`,
 * `attr[filter].sub`, an extension URN), path-less add/replace merging, value filters evaluated with
 * @scimkit/filter's semantics, `primary` reset when a new primary value is set, and the `schemas` list
 * kept in step with the extensions present. Errors: 400 `invalidSyntax`, `invalidPath`, `noTarget`,
 * `invalidValue`, `mutability`.
 *
 * @example
 * const next = applyPatch(group, {
 *   schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
 *   Operations: [{ op: "add", path: "members", value: [{ value: "2819c223-7f76-453a-919d-413861904646" }] }],
 * });
 */
export function applyPatch<T extends object>(resource: T, request: unknown, options: PatchOptions = {}): T {
  const strict = options.strict ?? false;
  const limits = resolveLimits(options.limits);
  const registry = registryOf(options);
  const context = typeContext(options.resourceType ?? inferResourceType(resource, registry), options);
  const operations = readOperations(request, strict, limits.maxOperations);
  const working: Record<string, unknown> = {};
  for (const key of Object.keys(resource))
    if (!isForbiddenKey(key)) working[key] = (resource as Record<string, unknown>)[key];
  const hadExtension = new Set<string>();
  for (const [, ext] of context.extensions) {
    const id = ext.schema.id;
    if (id in working || Object.keys(working).some((k) => k.toLowerCase() === id.toLowerCase()))
      hadExtension.add(id);
  }
  const run: Run = {
    context,
    strict,
    mode: { operation: "patch", strict, limits },
    options,
    resource: working,
    owned: new WeakSet(),
    hadExtension,
  };
  for (const operation of operations) {
    try {
      applyOperation(run, operation);
    } catch (error) {
      if (isScimError(error)) fail(operation.index, error);
      throw error;
    }
  }
  finish(run);
  return working as T;
}

/** After every operation: `schemas` lists the extensions present (RFC 7644 §3.5.2), primary is single. */
export function finish(run: Run): void {
  const { context, resource } = run;
  const present: string[] = [];
  for (const [, ext] of context.extensions) {
    const value = resource[ext.schema.id];
    if (isPlainObject(value) && Object.keys(value).length > 0) {
      present.push(ext.schema.id);
      checkSinglePrimary(ext.attributes.values(), value, `${ext.schema.id}:`);
    } else if (value !== undefined) {
      delete resource[ext.schema.id];
    }
  }
  checkSinglePrimary(context.attributes.values(), resource, "");
  const before = Array.isArray(resource.schemas)
    ? (resource.schemas as unknown[]).filter((s): s is string => typeof s === "string")
    : [];
  const known = new Set([context.base.id.toLowerCase(), ...context.extensions.keys()]);
  const others = before.filter((s) => !known.has(s.toLowerCase()));
  const next = [context.base.id, ...present, ...others];
  if (!deepEqual(before, next)) resource.schemas = next;
  for (const [, ext] of context.extensions) {
    if (ext.required && run.hadExtension.has(ext.schema.id) && !present.includes(ext.schema.id)) {
      throw ScimError.mutability(
        `the ${ext.schema.name} extension is required for ${context.type.name}; its attributes cannot all be removed`,
      );
    }
  }
}

import {
  type AttributeDefinition,
  isForbiddenKey,
  isScimError,
  PATCH_OP_URN,
  type ResolvedAttribute,
  ScimError,
} from "@scimkit/core";
import { compileFilter, type Filter, type FilterPredicate, type Path, parsePath } from "@scimkit/filter";
import type * as z from "zod";
import {
  type ExtensionContext,
  inferResourceType,
  isPlainObject,
  type Limits,
  registryOf,
  resolveLimits,
  type SchemaOptions,
  subAttributesOf,
  type TypeContext,
  typeContext,
} from "./context.js";
import {
  checkCanonicalDeep,
  checkSinglePrimary,
  clip,
  type NormalizeMode,
  normalizeSingle,
  normalizeValue,
  UNASSIGNED,
} from "./normalize.js";
import { zodFailure } from "./validate.js";

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
   * path-less values with dotted or URN-qualified keys, `remove` of `members` with a value list; an `add`
   * or `replace` through an `eq` filter that matches nothing appends the element; Okta's unchanged `id`
   * inside a path-less value. Default false.
   */
  readonly strict?: boolean;
  readonly limits?: Limits;
}

type Op = "add" | "remove" | "replace";

interface Operation {
  readonly op: Op;
  readonly path?: string;
  readonly value?: unknown;
  /** Position in "Operations", for error messages. */
  readonly index: number;
}

interface Run {
  readonly context: TypeContext;
  readonly strict: boolean;
  readonly mode: NormalizeMode;
  readonly options: PatchOptions;
  /** The working copy: top level copied, attribute values copied before they are changed. */
  readonly resource: Record<string, unknown>;
  /** Values this run created (and so may change in place). */
  readonly owned: WeakSet<object>;
  /** Extensions the resource had before the request. */
  readonly hadExtension: ReadonlySet<string>;
}

const OPS: readonly Op[] = ["add", "remove", "replace"];

function fail(index: number, error: ScimError): never {
  throw new ScimError({
    status: error.status,
    scimType: error.scimType,
    detail: `Operations[${index}]: ${error.detail}`,
    cause: error,
  });
}

function readOperations(request: unknown, strict: boolean, maxOperations: number): Operation[] {
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

// ---------------------------------------------------------------------------------------------------
// Targets

interface Target {
  /** The attribute the path names (for `attr.sub` or `attr[f].sub`, the top-level attribute). */
  readonly attribute: AttributeDefinition;
  /** The sub-attribute, for `attr.sub` or `attr[filter].sub`. */
  readonly sub?: AttributeDefinition;
  readonly filter?: Filter;
  readonly filterText?: string;
  /** The extension the attribute belongs to, if any. */
  readonly extension?: ExtensionContext;
  /** How errors name the target. */
  readonly where: string;
}

type Resolved = Target | { extensionOnly: ExtensionContext };

/** Resolved paths per resource type context; bounded, so client-chosen paths cannot grow it without limit. */
const targetCache = new WeakMap<TypeContext, Map<string, Resolved>>();
const TARGET_CACHE_SIZE = 1000;

function resolveTarget(run: Run, text: string): Resolved {
  let cache = targetCache.get(run.context);
  if (!cache) {
    cache = new Map();
    targetCache.set(run.context, cache);
  }
  const cached = cache.get(text);
  if (cached) return cached;
  const resolved = resolveTargetUncached(run, text);
  if (cache.size >= TARGET_CACHE_SIZE) cache.clear();
  cache.set(text, resolved);
  return resolved;
}

function resolveTargetUncached(run: Run, text: string): Resolved {
  const extension = run.context.extensions.get(text.toLowerCase());
  if (extension) return { extensionOnly: extension };
  let parsed: Path;
  try {
    parsed = parsePath(text);
  } catch (error) {
    if (isScimError(error)) throw ScimError.invalidPath(error.detail);
    throw error;
  }
  const uri = parsed.path.uri;
  const name = `${uri === undefined ? "" : `${uri}:`}${parsed.path.attribute}`;
  const resolved: ResolvedAttribute | undefined = run.context.registry.resolve(
    run.context.type.name,
    parsed.path.subAttribute === undefined ? name : `${name}.${parsed.path.subAttribute}`,
  );
  if (!resolved) {
    throw ScimError.invalidPath(
      `"${clip(text)}" names no attribute of ${run.context.type.name}${uri === undefined ? "" : ` (schema "${uri}")`}`,
    );
  }
  const top = resolved.parent ?? resolved.attribute;
  const extension2 =
    resolved.extension && resolved.schemaId !== undefined
      ? run.context.extensions.get(resolved.schemaId.toLowerCase())
      : undefined;
  const where = resolved.path;
  if (parsed.filter !== undefined) {
    if (resolved.parent !== undefined)
      throw ScimError.invalidPath(
        `"${clip(text)}": a value filter applies to a multi-valued attribute, not to a sub-attribute`,
      );
    if (!top.multiValued)
      throw ScimError.invalidPath(
        `"${clip(text)}": "${top.name}" is single-valued, so it cannot take a value filter`,
      );
    let sub: AttributeDefinition | undefined;
    if (parsed.subAttribute !== undefined) {
      sub = top.type === "complex" ? subAttributesOf(top).get(parsed.subAttribute.toLowerCase()) : undefined;
      if (!sub)
        throw ScimError.invalidPath(
          `"${clip(text)}": "${top.name}" has no sub-attribute "${clip(parsed.subAttribute)}"`,
        );
    }
    return {
      attribute: top,
      ...(sub !== undefined && { sub }),
      filter: { op: "valuePath", path: parsed.path, filter: parsed.filter },
      filterText: clip(text),
      ...(extension2 !== undefined && { extension: extension2 }),
      where: sub === undefined ? where : `${where}.${sub.name}`,
    };
  }
  return {
    attribute: top,
    ...(resolved.parent !== undefined && { sub: resolved.attribute }),
    ...(extension2 !== undefined && { extension: extension2 }),
    where,
  };
}

/** The object holding a target's attribute: the resource, or its extension object (created for writes). */
function holder(
  run: Run,
  extension: ExtensionContext | undefined,
  create: boolean,
): Record<string, unknown> | undefined {
  if (!extension) return run.resource;
  const id = extension.schema.id;
  const key =
    id in run.resource ? id : Object.keys(run.resource).find((k) => k.toLowerCase() === id.toLowerCase());
  const current = key === undefined ? undefined : run.resource[key];
  if (key !== undefined && key !== extension.schema.id) delete run.resource[key];
  if (isPlainObject(current)) {
    const copy = owned(run, current);
    run.resource[extension.schema.id] = copy;
    return copy;
  }
  if (!create) return undefined;
  const fresh: Record<string, unknown> = {};
  run.owned.add(fresh);
  run.resource[extension.schema.id] = fresh;
  return fresh;
}

/** A copy of `value` this run may change (copied once; values the run made are changed in place). */
function owned<V extends object>(run: Run, value: V): V {
  if (run.owned.has(value)) return value;
  const copy = (Array.isArray(value) ? value.slice() : { ...value }) as V;
  run.owned.add(copy);
  return copy;
}

/** Reads `holder[attribute]` whatever the case of the stored key, renaming it to schema case. */
function read(holderObject: Record<string, unknown>, attribute: AttributeDefinition): unknown {
  if (attribute.name in holderObject) return holderObject[attribute.name];
  const lower = attribute.name.toLowerCase();
  const key = Object.keys(holderObject).find((k) => k.toLowerCase() === lower);
  if (key === undefined) return undefined;
  const value = holderObject[key];
  delete holderObject[key];
  holderObject[attribute.name] = value;
  return value;
}

// ---------------------------------------------------------------------------------------------------
// Values

/** The zod schema of a target's value in the PATCH view (walks the generated schema's shape). */
function zodAt(run: Run, target: Target, element: boolean): z.ZodType {
  let schema = unwrap(run.context.validators.patch);
  if (target.extension) schema = unwrap(shapeOf(schema)[target.extension.schema.id]);
  schema = unwrap(shapeOf(schema)[target.attribute.name]);
  if (target.sub) {
    if (target.attribute.multiValued) schema = unwrap((schema as unknown as { element: z.ZodType }).element);
    return unwrap(shapeOf(schema)[target.sub.name]);
  }
  if (element && target.attribute.multiValued)
    return unwrap((schema as unknown as { element: z.ZodType }).element);
  return schema;
}

function shapeOf(schema: z.ZodType | undefined): Record<string, z.ZodType> {
  const shape = (schema as unknown as { shape?: Record<string, z.ZodType> } | undefined)?.shape;
  if (!shape)
    throw new TypeError(
      "the PATCH validator is not an object schema; regenerate it with `scimkit generate --zod`",
    );
  return shape;
}

function unwrap(schema: z.ZodType | undefined): z.ZodType {
  let current = schema as unknown as { _zod: { def: { type: string; innerType?: unknown } } } | undefined;
  while (current && current._zod.def.type === "optional" && current._zod.def.innerType) {
    current = current._zod.def.innerType as typeof current;
  }
  if (!current)
    throw new TypeError(
      "attribute missing from the PATCH validator; regenerate it with `scimkit generate --zod`",
    );
  return current as unknown as z.ZodType;
}

/** Normalizes and type-checks a value for a target; `element` for one value of a multi-valued attribute. */
function checkedValue(run: Run, target: Target, value: unknown, element: boolean): unknown {
  const definition = target.sub ?? target.attribute;
  const normalized =
    element && definition.multiValued
      ? normalizeSingle(definition, value, target.where, run.mode)
      : normalizeValue(definition, value, target.where, run.mode);
  if (normalized === UNASSIGNED) return UNASSIGNED;
  const parsed = zodAt(run, target, element && !target.sub).safeParse(normalized);
  if (!parsed.success) throw zodFailure(parsed.error, normalized, target.where);
  if (run.strict)
    checkCanonicalDeep(
      element && definition.multiValued ? { ...definition, multiValued: false } : definition,
      parsed.data,
      target.where,
    );
  return parsed.data;
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || typeof a !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a))
    return a.length === (b as unknown[]).length && a.every((v, i) => deepEqual(v, (b as unknown[])[i]));
  const ka = Object.keys(a);
  const kb = Object.keys(b as object);
  return (
    ka.length === kb.length &&
    ka.every((k) => deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
  );
}

function isEmpty(value: unknown): boolean {
  return (
    value === undefined ||
    value === null ||
    (Array.isArray(value) && value.length === 0) ||
    (isPlainObject(value) && Object.keys(value).length === 0)
  );
}

/** RFC 7644 §3.5.2: a readOnly target (or a sub-attribute of a readOnly attribute) is never written, present or not. */
function rejectReadOnly(target: Target, op: Op): void {
  if (target.attribute.mutability === "readOnly" || target.sub?.mutability === "readOnly")
    throw ScimError.mutability(
      `"${target.where}" is readOnly (RFC 7643 §7); it cannot be ${op === "remove" ? "removed" : "set"}`,
    );
}

/** RFC 7644 §3.5.2: readOnly never changes; immutable may only be added while unassigned. */
function checkMutability(target: Target, op: Op, current: unknown, next: unknown): void {
  const definition = target.sub ?? target.attribute;
  const mutability =
    definition.mutability === "readOnly" || target.attribute.mutability === "readOnly"
      ? "readOnly"
      : definition.mutability;
  if (mutability === "readOnly")
    throw ScimError.mutability(
      `"${target.where}" is readOnly (RFC 7643 §7); it cannot be ${op === "remove" ? "removed" : "set"}`,
    );
  if (mutability === "immutable" && !isEmpty(current) && !(op !== "remove" && deepEqual(current, next))) {
    throw ScimError.mutability(
      `"${target.where}" is immutable: it already has a value, so it cannot be ${op === "remove" ? "removed" : "changed"} (RFC 7644 §3.5.2)`,
    );
  }
}

/** Immutable sub-attributes of a complex value (e.g. Group `members.value`) keep the value they have. */
function checkSubMutability(
  target: Target,
  before: Record<string, unknown>,
  after: Record<string, unknown>,
): void {
  for (const sub of target.attribute.subAttributes ?? []) {
    if (!(sub.name in after)) continue;
    const was = before[sub.name];
    if (
      sub.mutability === "readOnly" ||
      (sub.mutability === "immutable" && !isEmpty(was) && !deepEqual(was, after[sub.name]))
    ) {
      throw ScimError.mutability(
        `"${target.where}.${sub.name}" is ${sub.mutability}; it cannot be changed (RFC 7644 §3.5.2)`,
      );
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// Operations

function applyOperation(run: Run, operation: Operation): void {
  if (operation.path === undefined) {
    if (operation.op === "remove") throw ScimError.noTarget('"remove" needs a "path" (RFC 7644 §3.5.2.2)');
    applyPathless(run, operation.op, operation.value);
    return;
  }
  if (operation.op !== "remove" && operation.value === undefined) {
    throw ScimError.invalidValue(`"${operation.op}" needs a "value" (RFC 7644 §3.5.2.1)`);
  }
  const target = resolveTarget(run, operation.path);
  if ("extensionOnly" in target) {
    applyToExtension(run, operation.op, target.extensionOnly, operation.value);
    return;
  }
  if (operation.op === "remove") {
    remove(run, target, operation.value);
    return;
  }
  set(run, operation.op, target, operation.value);
  return;
}

function isSchemas(target: Target): boolean {
  return target.attribute.name === "schemas" && target.extension === undefined;
}

/**
 * An operation on `schemas` itself. The list always names the base schema and the extensions whose
 * attributes are present (RFC 7644 §3.5.2: "Clients MAY implicitly modify the schemas attribute"), so
 * a valid value changes nothing; removing it, or a value that is not a list of this resource type's
 * schema URNs, fails.
 */
function checkSchemasOperation(run: Run, op: Op, target: Target, value: unknown): void {
  if (op === "remove" || target.filter !== undefined)
    throw ScimError.mutability(
      `"${target.where}" is kept in step with the attributes present; remove the extension's attributes (or its URN path) instead`,
    );
  const list = Array.isArray(value) ? value : run.strict ? undefined : [value];
  const known = (urn: unknown) =>
    typeof urn === "string" &&
    (urn.toLowerCase() === run.context.base.id.toLowerCase() ||
      run.context.extensions.has(urn.toLowerCase()));
  if (list === undefined || list.length > run.mode.limits.maxValues || !list.every(known))
    throw ScimError.invalidValue(
      `"schemas" must be a list of schema URNs of ${run.context.type.name} (${[run.context.base.id, ...[...run.context.extensions.values()].map((e) => e.schema.id)].join(", ")})`,
    );
}

/** Path-less add/replace: every key of the value is applied as if it were the path (RFC 7644 §3.5.2.1, §3.5.2.3). */
function applyPathless(run: Run, op: "add" | "replace", value: unknown): void {
  if (!isPlainObject(value))
    throw ScimError.invalidValue(
      `a path-less "${op}" needs an object of attributes as its "value" (RFC 7644 §3.5.2.1)`,
    );
  for (const key of Object.keys(value)) {
    if (isForbiddenKey(key)) {
      if (run.strict)
        throw ScimError.invalidValue(`"${key}" is not an attribute of ${run.context.type.name}`);
      continue;
    }
    const lower = key.toLowerCase();
    const extension = run.context.extensions.get(lower);
    if (extension) {
      applyToExtension(run, op, extension, value[key]);
      continue;
    }
    const attribute = run.context.attributes.get(lower);
    if (lower === "schemas") {
      // Kept in step with the attributes present (RFC 7644 §3.5.2); lenient mode ignores what is sent.
      if (run.strict)
        checkSchemasOperation(
          run,
          op,
          { attribute: attribute as AttributeDefinition, where: "schemas" },
          value[key],
        );
      continue;
    }
    if (!attribute && (run.strict || !(key.includes(".") || key.includes(":")))) {
      if (run.strict)
        throw ScimError.invalidValue(`"${clip(key)}" is not an attribute of ${run.context.type.name}`);
      continue;
    }
    // Lenient: Entra ID sends {"name.givenName": "x"} and URN-qualified keys in path-less values.
    const target = resolveTarget(run, key);
    if ("extensionOnly" in target) {
      applyToExtension(run, op, target.extensionOnly, value[key]);
      continue;
    }
    if (!run.strict && (target.sub ?? target.attribute).mutability === "readOnly") {
      // Okta sends the unchanged "id" (and sometimes meta) back in a path-less replace.
      const current = readTarget(run, target);
      if (current === undefined || deepEqual(current, value[key])) continue;
    }
    set(run, op, target, value[key]);
  }
}

function readTarget(run: Run, target: Target): unknown {
  const h = holder(run, target.extension, false);
  if (!h) return undefined;
  const current = read(h, target.attribute);
  if (target.sub && isPlainObject(current)) return current[target.sub.name];
  return current;
}

/** add/replace/remove whose path is an extension URN: the value holds the extension's attributes. */
function applyToExtension(run: Run, op: Op, extension: ExtensionContext, value: unknown): void {
  if (op === "remove") {
    const h = holder(run, extension, false);
    if (!h) return;
    for (const attribute of extension.attributes.values()) {
      if (attribute.name in h)
        remove(run, { attribute, extension, where: `${extension.schema.id}:${attribute.name}` }, undefined);
    }
    return;
  }
  if (!isPlainObject(value))
    throw ScimError.invalidValue(`"${extension.schema.id}" needs an object of the extension's attributes`);
  for (const key of Object.keys(value)) {
    const attribute = isForbiddenKey(key) ? undefined : extension.attributes.get(key.toLowerCase());
    if (!attribute) {
      if (run.strict)
        throw ScimError.invalidValue(
          `"${extension.schema.id}:${clip(key)}" is not an attribute of the ${extension.schema.name} extension`,
        );
      continue;
    }
    set(run, op, { attribute, extension, where: `${extension.schema.id}:${attribute.name}` }, value[key]);
  }
}

function set(run: Run, op: "add" | "replace", target: Target, value: unknown): void {
  if (isSchemas(target)) {
    checkSchemasOperation(run, op, target, value);
    return;
  }
  rejectReadOnly(target, op);
  if (target.filter !== undefined) {
    setFiltered(run, op, target, value);
    return;
  }
  const h = holder(run, target.extension, true) as Record<string, unknown>;
  const { attribute, sub } = target;
  const current = read(h, attribute);

  if (sub) {
    // attr.sub: on a single complex attribute, set the sub-attribute; on a multi-valued one, on every value.
    const next = checkedValue(run, target, value, false);
    if (attribute.multiValued) {
      if (!Array.isArray(current) || current.length === 0) {
        throw ScimError.noTarget(
          `"${target.where}": "${attribute.name}" has no values to set "${sub.name}" on; use a value filter or add whole values`,
        );
      }
      checkMutability(
        target,
        op,
        current.map((v) => (isPlainObject(v) ? v[sub.name] : undefined)).find((v) => v !== undefined),
        next,
      );
      h[attribute.name] = current.map((v) => (isPlainObject(v) ? withSub(v, sub, next) : v));
      if (sub.name === "primary" && next === true && current.length > 1) {
        throw ScimError.invalidValue(
          `"${target.where}": setting "primary" on every value of "${attribute.name}" would make more than one primary`,
        );
      }
      return;
    }
    const existing = isPlainObject(current) ? current[sub.name] : undefined;
    checkMutability(target, op, existing, next);
    h[attribute.name] = withSub(isPlainObject(current) ? current : {}, sub, next);
    return;
  }

  if (attribute.multiValued) {
    const values = checkedValue(run, target, value, false);
    checkMutability(target, op, current, values);
    if (values === UNASSIGNED) {
      if (op === "replace" && current !== undefined) deleteAttribute(run, h, target);
      return;
    }
    const incoming = values as unknown[];
    if (op === "replace" || !Array.isArray(current)) {
      h[attribute.name] = resetPrimary(incoming, incoming, target.where);
      return;
    }
    // add: append values not already present (RFC 7644 §3.5.2.1: adding a value already there changes nothing).
    const merged = current.slice();
    if (current.length * incoming.length <= 64) {
      // Few values: compare pairwise; the index (below) pays off only for large lists.
      for (const v of incoming)
        if (!merged.some((existing) => sameValue(attribute, existing, v))) merged.push(v);
    } else {
      const index = new ValueIndex(attribute, "stored");
      for (const existing of merged) index.add(existing);
      for (const v of incoming) {
        if (index.has(v)) continue;
        merged.push(v);
        index.add(v);
      }
    }
    h[attribute.name] = resetPrimary(merged, incoming, target.where);
    return;
  }

  const next = checkedValue(run, target, value, false);
  checkMutability(target, op, current, next);
  if (next === UNASSIGNED) {
    if (op === "replace" && current !== undefined) deleteAttribute(run, h, target);
    return;
  }
  if (attribute.type === "complex" && isPlainObject(current) && isPlainObject(next))
    checkSubMutability(target, current, next);
  // A complex value merges: sub-attributes not given are left unchanged (RFC 7644 §3.5.2.1, §3.5.2.3).
  h[attribute.name] =
    attribute.type === "complex" && isPlainObject(current) && isPlainObject(next)
      ? { ...current, ...next }
      : next;
}

function withoutSub(target: Target): Target {
  const { sub: _sub, ...rest } = target;
  return rest;
}

function withSub(
  value: Record<string, unknown>,
  sub: AttributeDefinition,
  next: unknown,
): Record<string, unknown> {
  const copy = { ...value };
  if (next === UNASSIGNED) delete copy[sub.name];
  else copy[sub.name] = next;
  return copy;
}

/** Two values of a multi-valued attribute are the same value: equal simple values, or complex values equal in every sub-attribute. */
function sameValue(attribute: AttributeDefinition, a: unknown, b: unknown): boolean {
  if (attribute.type === "complex" && isPlainObject(a) && isPlainObject(b)) {
    // Members and similar are identified by "value" when both have one.
    if ("value" in a && identifiedByValue(b)) {
      return (
        deepEqual(a.value, b.value) && (a.type === undefined || b.type === undefined || a.type === b.type)
      );
    }
    return deepEqual(a, b);
  }
  if (typeof a === "string" && typeof b === "string" && !attribute.caseExact)
    return a.toLowerCase() === b.toLowerCase();
  return deepEqual(a, b);
}

/** Sorted-key JSON: equal for {@link deepEqual} values. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (isPlainObject(value))
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`)
      .join(",")}}`;
  return JSON.stringify(value) ?? "undefined";
}

/** Whether {@link sameValue} identifies `b` by its "value" (and "type") rather than by every sub-attribute. */
function identifiedByValue(b: Record<string, unknown>): boolean {
  return (
    "value" in b &&
    Object.keys(b).every((k) => k === "value" || k === "display" || k === "$ref" || k === "type")
  );
}

/**
 * Finds values {@link sameValue} would call equal without comparing every pair (50,000 members added to
 * 50,000 would otherwise be 10⁹ comparisons). `stored` values play `a`, `given` values play `b`.
 */
class ValueIndex {
  readonly #buckets = new Map<string, unknown[]>();
  constructor(
    readonly attribute: AttributeDefinition,
    readonly role: "stored" | "given",
  ) {}

  #keys(value: unknown, role: "stored" | "given"): string[] {
    const { attribute } = this;
    if (attribute.type === "complex" && isPlainObject(value)) {
      if (role === "given")
        return [identifiedByValue(value) ? `v:${canonical(value.value)}` : `f:${canonical(value)}`];
      return "value" in value
        ? [`v:${canonical(value.value)}`, `f:${canonical(value)}`]
        : [`f:${canonical(value)}`];
    }
    if (typeof value === "string" && !attribute.caseExact) return [`s:${value.toLowerCase()}`];
    return [`f:${canonical(value)}`];
  }

  add(value: unknown): void {
    for (const key of this.#keys(value, this.role)) {
      const bucket = this.#buckets.get(key);
      if (bucket) bucket.push(value);
      else this.#buckets.set(key, [value]);
    }
  }

  /** Whether an indexed value is the same value as `value` (which plays the other role). */
  has(value: unknown): boolean {
    const other = this.role === "stored" ? "given" : "stored";
    for (const key of this.#keys(value, other)) {
      for (const candidate of this.#buckets.get(key) ?? []) {
        if (
          this.role === "stored"
            ? sameValue(this.attribute, candidate, value)
            : sameValue(this.attribute, value, candidate)
        )
          return true;
      }
    }
    return false;
  }
}

/**
 * RFC 7644 §3.5.2: a value newly set as primary makes every other value non-primary. Two new primaries
 * in one operation contradict each other (RFC 7643 §2.4) and are rejected.
 */
function resetPrimary(values: unknown[], newlySet: readonly unknown[], where: string): unknown[] {
  const winners = newlySet.filter((v) => isPlainObject(v) && v.primary === true);
  if (winners.length > 1)
    throw ScimError.invalidValue(
      `"${where}": ${winners.length} values are set as primary; at most one may be (RFC 7643 §2.4)`,
    );
  const winner = winners[0];
  if (winner === undefined) return values;
  return values.map((v) =>
    v !== winner && isPlainObject(v) && v.primary === true ? { ...v, primary: false } : v,
  );
}

/** Conditions of an `and` of `eq` comparisons on sub-attributes: what an element created through the filter gets. */
function impliedValues(filter: Filter): Record<string, unknown> | undefined {
  const inner = filter.op === "valuePath" ? filter.filter : filter;
  const parts = inner.op === "and" ? inner.filters : [inner];
  const out: Record<string, unknown> = {};
  for (const part of parts) {
    if (
      part.op !== "eq" ||
      part.path.uri !== undefined ||
      part.path.subAttribute !== undefined ||
      part.value === null
    )
      return undefined;
    out[part.path.attribute] = part.value;
  }
  return out;
}

/** Compiled value filters per resolved target (targets are cached per context, so this lives as long). */
const predicates = new WeakMap<Target, (element: unknown) => boolean>();

function predicateFor(run: Run, target: Target): (element: unknown) => boolean {
  let cached = predicates.get(target);
  if (!cached) {
    cached = compilePredicate(run, target);
    predicates.set(target, cached);
  }
  return cached;
}

function compilePredicate(run: Run, target: Target): (element: unknown) => boolean {
  let predicate: FilterPredicate;
  try {
    predicate = compileFilter(target.filter as Filter, {
      resourceType: run.context.type.name,
      ...(run.options.bundle !== undefined && { bundle: run.context.registry }),
    });
  } catch (error) {
    if (isScimError(error)) throw ScimError.invalidPath(`"${target.filterText}": ${error.detail}`);
    throw error;
  }
  const key = target.attribute.name;
  const urn = target.extension?.schema.id;
  // The compiled filter tests a resource; give it one holding just this element.
  return (element) => predicate(urn === undefined ? { [key]: [element] } : { [urn]: { [key]: [element] } });
}

function setFiltered(run: Run, op: "add" | "replace", target: Target, value: unknown): void {
  const h = holder(run, target.extension, true) as Record<string, unknown>;
  const { attribute, sub } = target;
  const current = read(h, attribute);
  const list = Array.isArray(current) ? current : [];
  const matches = predicateFor(run, target);
  const next = sub ? checkedValue(run, target, value, false) : checkedValue(run, target, value, true);
  const out: unknown[] = [];
  let matched = 0;
  for (const element of list) {
    if (!matches(element) || !isPlainObject(element)) {
      out.push(element);
      continue;
    }
    matched++;
    if (sub) {
      checkMutability(target, op, element[sub.name], next);
      out.push(withSub(element, sub, next));
    } else {
      checkMutability(target, op, element, next);
      if (isPlainObject(next)) checkSubMutability(target, element, next);
      if (!isPlainObject(next))
        throw ScimError.invalidValue(
          `"${target.where}" selects values of "${attribute.name}"; the value must be an object of its sub-attributes`,
        );
      // Strict: "all matching record values SHALL be replaced" (RFC 7644 §3.5.2.3); lenient: sub-attributes merge.
      out.push(run.strict && op === "replace" ? next : { ...element, ...next });
    }
  }
  if (matched === 0) {
    const implied = run.strict ? undefined : impliedValues(target.filter as Filter);
    if (implied === undefined) {
      throw ScimError.noTarget(
        `"${target.filterText}" matches no value of "${attribute.name}" (RFC 7644 §3.5.2.3)`,
      );
    }
    // Lenient: Entra ID adds `addresses[type eq "work"].streetAddress` to users without a work address.
    const created = sub
      ? { ...implied, ...(next === UNASSIGNED ? {} : { [sub.name]: next }) }
      : { ...implied, ...(next as object) };
    const checked = checkedValue(run, withoutSub(target), created, true) as unknown;
    out.push(checked);
  }
  const freshPrimary = out.filter((v, i) => v !== list[i] && isPlainObject(v) && v.primary === true);
  h[attribute.name] = resetPrimary(out, freshPrimary, target.where);
}

function remove(run: Run, target: Target, value: unknown): void {
  if (isSchemas(target)) {
    checkSchemasOperation(run, "remove", target, value);
    return;
  }
  rejectReadOnly(target, "remove");
  const h = holder(run, target.extension, false);
  if (!h) return;
  const { attribute, sub } = target;
  const current = read(h, attribute);
  if (current === undefined) return;

  if (target.filter !== undefined) {
    if (!Array.isArray(current)) return;
    const matches = predicateFor(run, target);
    const out: unknown[] = [];
    for (const element of current) {
      if (!matches(element)) {
        out.push(element);
        continue;
      }
      if (sub) {
        if (!isPlainObject(element) || !(sub.name in element)) {
          out.push(element);
          continue;
        }
        checkMutability(target, "remove", element[sub.name], undefined);
        out.push(withSub(element, sub, UNASSIGNED));
      } else {
        checkMutability(target, "remove", element, undefined);
      }
    }
    // No match: nothing to remove, success (RFC 7644 §3.5.2.2 example: "If the user was not a member ... no changes").
    if (out.length === 0) deleteAttribute(run, h, target);
    else h[attribute.name] = out;
    return;
  }

  if (value !== undefined && attribute.multiValued && !sub) {
    if (run.strict)
      throw ScimError.invalidSyntax(
        `"remove" of "${target.where}" takes no "value"; select values with a filter, e.g. ${attribute.name}[value eq "…"] (RFC 7644 §3.5.2.2)`,
      );
    // Lenient: Entra ID removes group members with {"op":"Remove","path":"members","value":[{"value":"id"}]}.
    const listed = checkedValue(run, target, value, false);
    if (listed === UNASSIGNED || !Array.isArray(current)) return;
    const index = new ValueIndex(attribute, "given");
    for (const v of listed as unknown[]) index.add(v);
    const out = current.filter((existing) => !index.has(existing));
    if (out.length === current.length) return;
    checkMutability(target, "remove", current, undefined);
    if (out.length === 0) deleteAttribute(run, h, target);
    else h[attribute.name] = out;
    return;
  }

  if (sub) {
    if (attribute.multiValued) {
      if (!Array.isArray(current)) return;
      h[attribute.name] = current.map((v) => {
        if (!isPlainObject(v) || !(sub.name in v)) return v;
        checkMutability(target, "remove", v[sub.name], undefined);
        return withSub(v, sub, UNASSIGNED);
      });
      return;
    }
    if (!isPlainObject(current) || !(sub.name in current)) return;
    checkMutability(target, "remove", current[sub.name], undefined);
    const next = withSub(current, sub, UNASSIGNED);
    if (Object.keys(next).length === 0) deleteAttribute(run, h, target);
    else h[attribute.name] = next;
    return;
  }
  checkMutability(target, "remove", current, undefined);
  deleteAttribute(run, h, target);
}

function deleteAttribute(run: Run, h: Record<string, unknown>, target: Target): void {
  const attribute = target.attribute;
  if (attribute.required) {
    throw ScimError.mutability(`"${target.where}" is required, so it cannot be removed (RFC 7644 §3.5.2.2)`);
  }
  delete h[attribute.name];
  if (target.extension && Object.keys(h).length === 0) delete run.resource[target.extension.schema.id];
}

/** After every operation: `schemas` lists the extensions present (RFC 7644 §3.5.2), primary is single. */
function finish(run: Run): void {
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

/**
 * PATCH applied on the client, for servers that do not support it (ServiceProviderConfig
 * `patch.supported: false`): the client GETs the resource, applies the operations here and PUTs the
 * result with `If-Match`. Loaded with a dynamic `import()` only when that fallback runs.
 *
 * The server decides what is valid (mutability, types, uniqueness) when it receives the PUT, so this
 * applies the operations' RFC 7644 §3.5.2 semantics to the JSON and checks only what it must to apply
 * them: paths, value filters and the shape of values.
 */
import { coreBundle, isForbiddenKey, type ScimBundle, ScimError } from "@scimkit/core";
import { type AttributePath, compileFilter, type Filter, type Path, parsePath } from "@scimkit/filter";
import { deepEqual, isObject, type Json } from "./json.js";
import type { PatchOperation } from "./patch-operation.js";

/** Sets an own property, never a prototype (`__proto__` as data must not reach `Object.prototype`). */
function put(target: Json, key: string, value: unknown): void {
  if (isForbiddenKey(key)) throw ScimError.invalidPath(`"${key}" is not an attribute name`);
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** Sets an attribute; `null` and `[]` are "unassigned" (RFC 7643 §2.5), so they remove it. */
function assign(target: Json, key: string, value: unknown): void {
  if (value === null || value === undefined || (Array.isArray(value) && value.length === 0))
    delete target[key];
  else put(target, key, value);
}

/** The key `name` has in `target`, compared case-insensitively (RFC 7643 §2.1), or `name` itself. */
function keyOf(target: Json, name: string): string {
  if (Object.hasOwn(target, name)) return name;
  const lower = name.toLowerCase();
  return Object.keys(target).find((key) => key.toLowerCase() === lower) ?? name;
}

interface Context {
  resource: Json;
  resourceType: string;
  bundle: ScimBundle | undefined;
  /** The resource type's core schema URN: its attributes live at the top level, not under the URN. */
  core: string | undefined;
}

/** The object an attribute of `uri` lives in: the resource for its core schema, the extension object otherwise. */
function holder(context: Context, uri: string | undefined, create: boolean): Json | undefined {
  const { resource } = context;
  if (uri === undefined) return resource;
  const schemas = Array.isArray(resource.schemas) ? (resource.schemas as unknown[]) : [];
  if (context.core?.toLowerCase() === uri.toLowerCase()) return resource;
  const key = keyOf(resource, uri);
  const found = resource[key];
  if (isObject(found)) return found;
  if (!create) return undefined;
  const created: Json = {};
  put(resource, key, created);
  // an extension's URN is listed in "schemas" when its attributes are present (RFC 7643 §3)
  if (!schemas.some((s) => typeof s === "string" && s.toLowerCase() === uri.toLowerCase())) {
    put(resource, "schemas", [...schemas, uri]);
  }
  return created;
}

/** Drops an extension left without attributes, and its URN from "schemas" (RFC 7643 §3). */
function prune(context: Context, uri: string | undefined, h: Json | undefined): void {
  const { resource } = context;
  if (uri === undefined || h === undefined || h === resource || Object.keys(h).length > 0) return;
  delete resource[keyOf(resource, uri)];
  if (Array.isArray(resource.schemas)) {
    const lower = uri.toLowerCase();
    put(
      resource,
      "schemas",
      resource.schemas.filter((s) => typeof s !== "string" || s.toLowerCase() !== lower),
    );
  }
}

const REFERENCE_KEYS = new Set(["value", "display", "$ref", "type"]);

/**
 * Whether `incoming` is a value the attribute already has: a reference-like value (`value`, and only
 * `display`, `$ref`, `type` besides) is identified by its `value` and compatible `type`, as members are;
 * anything else must be equal in every sub-attribute.
 */
function sameValue(existing: unknown, incoming: unknown): boolean {
  if (isObject(existing) && isObject(incoming) && "value" in existing && "value" in incoming) {
    if (Object.keys(incoming).every((key) => REFERENCE_KEYS.has(key))) {
      return (
        deepEqual(existing.value, incoming.value) &&
        (existing.type === undefined || incoming.type === undefined || existing.type === incoming.type)
      );
    }
  }
  return deepEqual(existing, incoming);
}

/** Adds values to a multi-valued attribute, skipping ones already present (RFC 7644 §3.5.2.1). */
function appended(current: unknown[], value: unknown): unknown[] {
  const out = [...current];
  for (const item of Array.isArray(value) ? value : [value]) {
    if (!out.some((existing) => sameValue(existing, item))) out.push(item);
  }
  return out;
}

/**
 * A value newly set as primary makes every other value non-primary (RFC 7643 §2.4: at most one primary),
 * as the reference server's engine does.
 */
function resetPrimary(values: unknown[], newlySet: readonly unknown[]): unknown[] {
  const winner = newlySet.find((v) => isObject(v) && v.primary === true);
  if (winner === undefined) return values;
  return values.map((v) =>
    v !== winner && isObject(v) && v.primary === true ? { ...v, primary: false } : v,
  );
}

/** Merges sub-attributes into a complex value (RFC 7644 §3.5.2.1 and §3.5.2.3: unspecified ones are kept). */
function merged(current: Json, value: Json): Json {
  const out: Json = { ...current };
  for (const [key, item] of Object.entries(value)) put(out, keyOf(out, key), item);
  return out;
}

function setAttribute(h: Json, op: "add" | "replace", path: AttributePath, value: unknown): void {
  const key = keyOf(h, path.attribute);
  const current = h[key];
  if (path.subAttribute === undefined) {
    if (Array.isArray(value) || (op === "add" && Array.isArray(current))) {
      const incoming = Array.isArray(value) ? value : [value];
      const values = op === "add" && Array.isArray(current) ? appended(current, incoming) : incoming;
      assign(h, key, resetPrimary(values, incoming));
    } else if (isObject(current) && isObject(value)) assign(h, key, merged(current, value));
    else assign(h, key, value);
    return;
  }
  const sub = path.subAttribute;
  if (Array.isArray(current)) {
    // attr.sub on a multi-valued attribute: every value (as a filter matching all of them would)
    if (current.length === 0)
      throw ScimError.noTarget(`"${path.attribute}" has no values to set "${sub}" on`);
    put(
      h,
      key,
      current.map((item) => (isObject(item) ? merged(item, { [sub]: value }) : item)),
    );
    return;
  }
  put(h, key, merged(isObject(current) ? current : {}, { [sub]: value }));
}

function removeAttribute(h: Json, path: AttributePath): void {
  const key = keyOf(h, path.attribute);
  if (path.subAttribute === undefined) {
    delete h[key];
    return;
  }
  const current = h[key];
  const strip = (item: unknown) => {
    if (!isObject(item)) return item;
    const out = { ...item };
    delete out[keyOf(out, path.subAttribute as string)];
    return out;
  };
  if (Array.isArray(current)) put(h, key, current.map(strip));
  else if (isObject(current)) {
    const out = strip(current) as Json;
    if (Object.keys(out).length === 0) delete h[key];
    else put(h, key, out);
  }
}

/** The predicate selecting values of `path.path` that match `path.filter`, evaluated with the schemas' semantics. */
function selector(context: Context, path: Path, h: Json, key: string): (item: unknown) => boolean {
  const { uri, attribute } = path.path;
  const filter: Filter = {
    op: "valuePath",
    path: uri === undefined ? { attribute } : { uri, attribute },
    filter: path.filter as Filter,
  };
  const matches = compileFilter(filter, {
    resourceType: context.resourceType,
    ...(context.bundle !== undefined && { bundle: context.bundle }),
    unknownAttributes: "absent",
  });
  // the filter is evaluated on a copy of the resource holding just this one value
  return (item) => {
    const probe: Json = { schemas: context.resource.schemas };
    if (h === context.resource) put(probe, key, [item]);
    else put(probe, path.path.uri as string, { [key]: [item] });
    return matches(probe);
  };
}

function applyFiltered(context: Context, operation: PatchOperation, path: Path): void {
  const h = holder(context, path.path.uri, false);
  const key = h === undefined ? path.path.attribute : keyOf(h, path.path.attribute);
  const current = h?.[key];
  const where = `${path.path.attribute}[…]`;
  if (!Array.isArray(current) || h === undefined) {
    if (operation.op === "remove") return;
    throw ScimError.noTarget(
      `"${where}": "${path.path.attribute}" has no values to select from (RFC 7644 §3.5.2.3)`,
    );
  }
  const selected = selector(context, path, h, key);
  const sub = path.subAttribute;
  let matched = 0;
  const next: unknown[] = [];
  const updated: unknown[] = [];
  for (const item of current) {
    if (!selected(item)) {
      next.push(item);
      continue;
    }
    matched++;
    if (operation.op === "remove") {
      if (sub !== undefined && isObject(item)) {
        const out = { ...item };
        delete out[keyOf(out, sub)];
        next.push(out);
      }
      continue;
    }
    if (sub !== undefined) updated.push(merged(isObject(item) ? item : {}, { [sub]: operation.value }));
    else if (isObject(item) && isObject(operation.value)) updated.push(merged(item, operation.value));
    else
      throw ScimError.invalidValue(
        `"${where}" selects complex values; the value must be an object of sub-attributes`,
      );
    next.push(updated[updated.length - 1]);
  }
  if (matched === 0 && operation.op !== "remove") {
    throw ScimError.noTarget(
      `the value filter of "${path.path.attribute}" matches no value (RFC 7644 §3.5.2.3)`,
    );
  }
  if (next.length === 0) delete h[key];
  else put(h, key, resetPrimary(next, updated));
  prune(context, path.path.uri, h);
}

function applyOne(context: Context, operation: PatchOperation): void {
  const op = String(operation.op).toLowerCase();
  if (op !== "add" && op !== "replace" && op !== "remove") {
    throw ScimError.invalidSyntax(
      `"${String(operation.op)}" is not a PATCH op; use add, remove or replace (RFC 7644 §3.5.2)`,
    );
  }
  const normalized = { ...operation, op } as PatchOperation;
  if (operation.path === undefined) {
    if (op === "remove") throw ScimError.noTarget('"remove" needs a "path" (RFC 7644 §3.5.2.2)');
    if (!isObject(operation.value)) {
      throw ScimError.invalidValue(`a "${op}" without a "path" needs an object of attributes as its value`);
    }
    for (const [name, value] of Object.entries(operation.value)) {
      if (isForbiddenKey(name)) throw ScimError.invalidPath(`"${name}" is not an attribute name`);
      if (name.toLowerCase() === "schemas") continue; // the server keeps "schemas" in step with the extensions
      if (name.toLowerCase().startsWith("urn:") && isObject(value)) {
        for (const [attribute, inner] of Object.entries(value)) {
          applyOne(context, { ...normalized, path: `${name}:${attribute}`, value: inner } as PatchOperation);
        }
      } else {
        applyOne(context, { ...normalized, path: name, value } as PatchOperation);
      }
    }
    return;
  }
  const path = parsePath(operation.path);
  if (path.filter !== undefined) {
    applyFiltered(context, normalized, path);
    return;
  }
  const target =
    path.subAttribute === undefined ? path.path : { ...path.path, subAttribute: path.subAttribute };
  if (op === "remove") {
    const h = holder(context, target.uri, false);
    if (h !== undefined) removeAttribute(h, target);
    prune(context, target.uri, h);
    return;
  }
  setAttribute(holder(context, target.uri, true) as Json, op, target, structuredClone(operation.value));
}

/**
 * Applies PatchOp operations to a copy of `resource` (RFC 7644 §3.5.2), all or nothing: the input is
 * never changed, and a failing operation throws a ScimError (400 `invalidPath`, `noTarget`,
 * `invalidValue` or `invalidSyntax`) before anything is returned.
 *
 * @example applyPatchLocally(user, [{ op: "replace", path: "active", value: false }], { resourceType: "User" })
 */
export function applyPatchLocally<T extends object>(
  resource: T,
  operations: readonly PatchOperation[],
  options: { resourceType: string; bundle?: ScimBundle | undefined },
): T {
  const copy = structuredClone(resource) as Json;
  // the core schema comes from the resource type (RFC 7643 §6), not from the order of "schemas", which has none
  const wanted = options.resourceType.toLowerCase();
  const type = (options.bundle ?? coreBundle()).resourceTypes.find((t) => t.name.toLowerCase() === wanted);
  const first = Array.isArray(copy.schemas) ? copy.schemas[0] : undefined;
  const core = type?.schema ?? (typeof first === "string" ? first : undefined);
  const context: Context = {
    resource: copy,
    resourceType: options.resourceType,
    bundle: options.bundle,
    core,
  };
  for (const operation of operations) applyOne(context, operation);
  return copy as T;
}

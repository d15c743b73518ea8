import { isScimError, PATCH_OP_URN, ScimError } from "@scimkit/core";
import {
  inferResourceType,
  isPlainObject,
  type Limits,
  registryOf,
  resolveLimits,
  type SchemaOptions,
  type TypeContext,
  typeContext,
} from "../context.js";
import { clip, type NormalizeMode } from "../normalize.js";
import { topLevelCopy } from "./copy.js";
import { finish, planOf } from "./finish.js";
import { applyOperation } from "./operations.js";
import { fail, OPS, type Op, type Operation, type Run } from "./run.js";

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

const PATCH_OP_URN_LOWER = PATCH_OP_URN.toLowerCase();

/** The op keyword, or undefined: exact in strict mode, any case when lenient (Entra ID's "Replace"). */
function opOf(text: unknown, strict: boolean): Op | undefined {
  if (typeof text !== "string") return undefined;
  if (text === "add" || text === "remove" || text === "replace") return text;
  if (strict) return undefined;
  const lower = text.toLowerCase();
  return OPS.find((o) => o === lower);
}

/** Lenient: an operation's field in any case ("Path", "Value"), when the exact name is absent. */
function anyCaseField(item: Record<string, unknown>, name: string): unknown {
  // for-in, not Object.keys: no key list is built (a `remove` has no "value", so this runs for each one).
  // Inherited keys (a polluted Object.prototype) are skipped by the own-key check.
  for (const k in item) {
    // Lower-casing keeps the length of these ASCII names, so other lengths are skipped without it.
    if (k.length === name.length && k.toLowerCase() === name && Object.hasOwn(item, k)) return item[k];
  }
  return undefined;
}

export function readOperations(request: unknown, strict: boolean, maxOperations: number): Operation[] {
  if (!isPlainObject(request))
    throw ScimError.invalidSyntax(
      'the PATCH body must be a JSON object with "schemas" and "Operations" (RFC 7644 §3.5.2)',
    );
  const schemas = request.schemas;
  let hasUrn = false;
  // Indexed loops over the caller's arrays: for-of over a frozen array takes a slower iterator path.
  if (Array.isArray(schemas))
    for (let i = 0; i < schemas.length; i++) {
      const s: unknown = schemas[i];
      if (typeof s === "string" && (s === PATCH_OP_URN || s.toLowerCase() === PATCH_OP_URN_LOWER)) {
        hasUrn = true;
        break;
      }
    }
  if (strict && !hasUrn)
    throw ScimError.invalidSyntax(`"schemas" must be ["${PATCH_OP_URN}"] (RFC 7644 §3.5.2)`);
  // The exact name is a constant property read; the any-case search only when it is absent.
  let raw = request.Operations;
  if (raw === undefined && !Object.hasOwn(request, "Operations"))
    for (const k of Object.keys(request))
      if (k.toLowerCase() === "operations") {
        raw = request[k];
        break;
      }
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
  const out: Operation[] = [];
  for (let index = 0; index < raw.length; index++) {
    const item: unknown = raw[index];
    if (!isPlainObject(item))
      fail(
        index,
        ScimError.invalidSyntax('an operation must be an object with "op", and "path" and/or "value"'),
      );
    // Exact names are read as constant properties (fast); `in` and the any-case search only when absent.
    let opText = item.op;
    if (opText === undefined && !strict && !("op" in item)) opText = anyCaseField(item, "op");
    const op = opOf(opText, strict);
    if (op === undefined) {
      fail(
        index,
        ScimError.invalidSyntax(
          `"op" must be "add", "remove" or "replace"${strict ? " (lower case, RFC 7644 §3.5.2)" : ""}, got ${typeof opText === "string" ? JSON.stringify(clip(opText)) : (JSON.stringify(opText) ?? "nothing").slice(0, 100)}`,
        ),
      );
    }
    let path = item.path;
    if (path === undefined && !strict && !("path" in item)) path = anyCaseField(item, "path");
    if (path !== undefined && path !== null && typeof path !== "string")
      fail(index, ScimError.invalidPath(`"path" must be a string, got ${typeof path}`));
    const trimmed = typeof path === "string" ? trimPath(path) : "";
    // One object shape for every operation (path and value undefined when absent) keeps the engine's
    // property reads monomorphic.
    let value = item.value;
    if (value === undefined && !strict && !("value" in item)) value = anyCaseField(item, "value");
    out.push({ op, path: trimmed === "" ? undefined : trimmed, value, index });
  }
  return out;
}

/** `path.trim()`, without the call when neither end can be white space (the usual path). */
function trimPath(path: string): string {
  const n = path.length;
  if (n === 0) return path;
  const first = path.charCodeAt(0);
  const last = path.charCodeAt(n - 1);
  // Every character trim() removes is a control or space character below "!" or beyond "~".
  return first > 32 && first < 127 && last > 32 && last < 127 ? path : path.trim();
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
export function applyPatch<T extends object>(
  resource: T,
  request: unknown,
  options: PatchOptions = NO_OPTIONS,
): T {
  const strict = options.strict ?? false;
  const limits = options.limits === undefined ? DEFAULT_LIMITS : resolveLimits(options.limits);
  const context = contextOf(resource as Record<string, unknown>, options);
  const operations = readOperations(request, strict, limits.maxOperations);
  const working = topLevelCopy(resource as Record<string, unknown>);
  const plan = planOf(context);
  // Only required extensions are checked against it (finish), so only they are looked up.
  let hadExtension = NO_EXTENSIONS;
  if (plan.required.length > 0) {
    const had = new Set<string>();
    for (const ext of plan.required) {
      const id = ext.schema.id;
      if (id in working || Object.keys(working).some((k) => k.toLowerCase() === id.toLowerCase()))
        had.add(id);
    }
    hadExtension = had;
  }
  const run: Run = {
    context,
    strict,
    mode: strict
      ? { operation: "patch", strict, limits }
      : limits === DEFAULT_LIMITS
        ? LENIENT_DEFAULT_MODE
        : { operation: "patch", strict, limits },
    options,
    source: resource as Record<string, unknown>,
    resource: working,
    owned: undefined,
    touched: [],
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
  finish(run, plan);
  return working as T;
}

const DEFAULT_LIMITS = resolveLimits(undefined);
/** The options of a call without any: one shared object, not one per call. */
const NO_OPTIONS: PatchOptions = Object.freeze({});

/**
 * Contexts of the core bundle by the name given (`resourceType`, else a known `meta.resourceType`), so the
 * usual call skips the registry look-ups; the names are resource types that exist, in the spellings seen.
 */
const coreContexts = new Map<string, TypeContext>();

function metaResourceType(resource: Record<string, unknown>): unknown {
  return (resource.meta as { resourceType?: unknown } | null | undefined)?.resourceType;
}

function contextOf(resource: Record<string, unknown>, options: PatchOptions): TypeContext {
  const core = options.bundle === undefined && options.validators === undefined;
  let name = options.resourceType;
  if (core) {
    const stated = name ?? metaResourceType(resource);
    const given = typeof stated === "string" ? stated : undefined;
    const hit = given === undefined ? undefined : coreContexts.get(given);
    if (hit !== undefined) return hit;
  }
  const registry = registryOf(options);
  let cacheable = name !== undefined;
  if (name === undefined) {
    const stated = metaResourceType(resource);
    // inferResourceType's first rule: a meta.resourceType the registry knows.
    if (typeof stated === "string" && registry.resourceType(stated)) {
      name = stated;
      cacheable = true;
    } else name = inferResourceType(resource, registry);
  }
  const context = typeContext(name, options);
  if (core && cacheable) {
    if (coreContexts.size >= 64) coreContexts.clear();
    coreContexts.set(name, context);
  }
  return context;
}
const NO_EXTENSIONS: ReadonlySet<string> = new Set();
const LENIENT_DEFAULT_MODE: NormalizeMode = { operation: "patch", strict: false, limits: DEFAULT_LIMITS };

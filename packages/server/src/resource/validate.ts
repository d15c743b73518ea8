import { type AttributeDefinition, isForbiddenKey, type ScimBundle, ScimError } from "@scimkit/core";
import type * as z from "zod";
import {
  type CompiledMode,
  isPlainObject,
  type Limits,
  type ResolvedLimits,
  resolveLimits,
  type SchemaOptions,
  type TypeContext,
  typeContext,
} from "./context.js";
import {
  checkCanonicalDeep,
  checkRequiredNotBlank,
  checkSinglePrimary,
  clip,
  label,
  type NormalizeMode,
  normalizeValue,
  UNASSIGNED,
} from "./normalize.js";
import { checkNoDuplicateSchemas, checkNotOtherResourceType } from "./schemas-list.js";
import type {
  CoreBundle,
  CoreValidators,
  ResourceTypeName,
  ValidatedResource,
  ValidatorsRecord,
} from "./validate-types.js";

/**
 * Options of {@link validateResource}. `V` (the `validators` record of `scimkit generate --zod`) and `B`
 * (the `bundle`) type the result.
 *
 * @example
 * validateResource("User", body, { operation: "replace", existing: stored, strict: true });
 */
export interface ValidateOptions<
  V extends ValidatorsRecord = ValidatorsRecord,
  B extends ScimBundle = ScimBundle,
> extends SchemaOptions {
  /** `create` (POST, RFC 7644 §3.3) or `replace` (PUT, §3.5.1). */
  readonly operation: "create" | "replace";
  /**
   * Apply the RFC literally: unknown attributes, a missing or inconsistent `schemas`, values outside
   * `canonicalValues`, string booleans and single values for multi-valued attributes are rejected
   * instead of accepted as identity providers send them. Default false.
   */
  readonly strict?: boolean;
  /** For `replace`: the stored resource, so immutable attributes can be compared (RFC 7644 §3.5.1). */
  readonly existing?: object;
  readonly limits?: Limits;
  /** Your schemas, generated with `scimkit generate`; default the RFC 7643 core. */
  readonly bundle?: B;
  /** The generated zod schemas of the bundle's resource types; default the RFC 7643 core's. */
  readonly validators?: V;
}

/** Formats a zod issue path the way errors name attributes: `emails[1].value`, `urn:…:User:manager.value`. */
export function issuePath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const key of path) {
    if (typeof key === "number") out = label(out, key);
    else if (typeof key === "string" && /^urn:/i.test(key) && out === "") out = `${key}:`;
    else out = label(out, String(key));
  }
  return out.endsWith(":") ? out.slice(0, -1) : out;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let node = root;
  for (const key of path) {
    if (typeof node !== "object" || node === null) return undefined;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return node;
}

/** Turns the first zod issue into the RFC's 400 `invalidValue`, naming the attribute. */
export function zodFailure(error: z.ZodError, input: unknown, prefix = ""): ScimError {
  const issue = error.issues[0];
  if (!issue) return ScimError.invalidValue("the value does not match the schema");
  const where =
    prefix === ""
      ? issuePath(issue.path)
      : issue.path.length === 0
        ? prefix
        : typeof issue.path[0] === "number"
          ? `${prefix}${issuePath(issue.path)}`
          : label(prefix, issuePath(issue.path));
  const actual = valueAt(input, issue.path);
  if (actual === undefined && issue.code === "invalid_type") {
    return ScimError.invalidValue(`"${where}" is required`);
  }
  const detail = issue.message.replace(/^Invalid input: /, "");
  return ScimError.invalidValue(where === "" ? detail : `"${where}": ${detail}`);
}

function attributeOrExtension(context: TypeContext, key: string) {
  const lower = key.toLowerCase();
  const attribute = context.attributes.get(lower);
  if (attribute) return { attribute } as const;
  const extension = context.extensions.get(lower);
  if (extension) return { extension } as const;
  return undefined;
}

/**
 * Checks a create (POST) or replace (PUT) body against a resource type's schemas and returns the
 * normalized resource: attribute names and URNs in schema case (RFC 7643 §2.1), readOnly input
 * dropped (RFC 7644 §3.3), unassigned values (null, []) removed (RFC 7643 §2.5), `schemas` holding
 * the base schema and the extensions present. Types, required attributes and formats (xsd:dateTime,
 * base64) are checked by the generated validator (validators.gen.ts, linked as `compiled`), else by the
 * generated zod schemas; at most one `primary` per attribute (RFC 7643
 * §2.4); with `existing`, immutable attributes may not change (RFC 7644 §3.5.1).
 *
 * Failures are `ScimError` 400 `invalidValue` or `invalidSyntax` naming the attribute, or 400
 * `mutability` for an immutable attribute.
 *
 * Typed by the validators: `validateResource("User", …)` returns `UserInput`, a generated bundle's
 * `validateResource("Device", …, { bundle, validators })` its `DeviceInput`, and a name the validators
 * do not have (`"Usr"`) does not compile. A `string` variable is accepted and checked at run time (an
 * unknown resource type throws a TypeError).
 *
 * @example
 * const user = validateResource("User", await request.json(), { operation: "create" });
 * user.userName; // string
 */
export function validateResource<
  V extends ValidatorsRecord = CoreValidators,
  B extends ScimBundle = CoreBundle,
  N extends ResourceTypeName<V, B> = ResourceTypeName<V, B>,
>(resourceType: N, body: unknown, options: ValidateOptions<V, B>): ValidatedResource<V, B, N>;
/** A resource type held in a `string` variable: checked at run time (unknown → TypeError), typed loosely. */
export function validateResource<S extends string>(
  resourceType: string extends S ? S : never,
  body: unknown,
  options: ValidateOptions,
): Record<string, unknown>;
export function validateResource(
  resourceType: string,
  body: unknown,
  options: ValidateOptions,
): Record<string, unknown> {
  const context = typeContext(resourceType, options);
  const strict = options.strict ?? false;
  if (!isPlainObject(body)) {
    throw ScimError.invalidSyntax(`the body must be a JSON object holding a ${context.type.name} resource`);
  }
  const compiled = context.validators.compiled?.input;
  const result = compiled
    ? compiled(body, compiledMode(context, strict, options.limits))
    : validateGeneric(context, body, {
        operation: options.operation,
        strict,
        limits: resolveLimits(options.limits),
      });
  if (options.existing !== undefined) checkImmutable(context, options.existing, result);
  return result;
}

const DEFAULT_LIMITS = resolveLimits(undefined);
/** The modes of the default limits, lenient and strict, made once per resource type. */
const defaultModes = new WeakMap<TypeContext, readonly [CompiledMode, CompiledMode]>();

function raiseInvalid(detail: string): never {
  throw ScimError.invalidValue(detail);
}

function makeMode(context: TypeContext, strict: boolean, limits: ResolvedLimits): CompiledMode {
  return {
    strict,
    maxStringLength: limits.maxStringLength,
    maxValues: limits.maxValues,
    invalid: raiseInvalid,
    schemas: (given, present) => schemasOf(context, given, present, strict),
  };
}

/** The mode a generated validator is run with (exported for tests of the fast paths, not from the package). */
export function compiledMode(
  context: TypeContext,
  strict: boolean,
  limits: Limits | undefined,
): CompiledMode {
  if (limits !== undefined) return makeMode(context, strict, resolveLimits(limits));
  let modes = defaultModes.get(context);
  if (!modes) {
    modes = [makeMode(context, false, DEFAULT_LIMITS), makeMode(context, true, DEFAULT_LIMITS)];
    defaultModes.set(context, modes);
  }
  return modes[strict ? 1 : 0];
}

/** What `schemas` resolution needs of a resource type, worked out once (RFC 7643 §3). */
interface SchemasPlan {
  /** URNs, spelt exactly, that name no other resource type's base schema: the check can skip them. */
  readonly safe: ReadonlySet<string>;
  /** The extensions in the resource type's order. */
  readonly extensions: readonly { readonly id: string; readonly name: string; readonly required: boolean }[];
}

const schemasPlans = new WeakMap<TypeContext, SchemasPlan>();

function schemasPlan(context: TypeContext): SchemasPlan {
  let plan = schemasPlans.get(context);
  if (!plan) {
    const bases = new Set(context.registry.bundle.resourceTypes.map((t) => t.schema.toLowerCase()));
    const extensions = [...context.extensions.values()].map((e) => ({
      id: e.schema.id,
      name: e.schema.name,
      required: e.required,
    }));
    const safe = new Set([context.base.id]);
    for (const { id } of extensions) if (!bases.has(id.toLowerCase())) safe.add(id);
    plan = { safe, extensions };
    schemasPlans.set(context, plan);
  }
  return plan;
}

/** True when no URN of `given` can name another resource type (checkNotOtherResourceType would pass). */
function onlyOwnSchemas(plan: SchemasPlan, given: unknown): boolean {
  if (!Array.isArray(given)) return false;
  for (let i = 0; i < given.length; i++) {
    const urn: unknown = given[i];
    if (typeof urn === "string" && !plan.safe.has(urn)) return false;
  }
  return true;
}

/** The `schemas` to store (RFC 7643 §3), then the extensions the resource type requires. */
function schemasOf(
  context: TypeContext,
  given: unknown,
  present: ReadonlySet<string>,
  strict: boolean,
): string[] {
  const plan = schemasPlan(context);
  const schemas = resolveSchemas(context, plan, given, present, strict);
  for (const ext of plan.extensions) {
    if (ext.required && !present.has(ext.id)) {
      throw ScimError.invalidValue(
        `the ${ext.name} extension ("${ext.id}") is required for ${context.type.name}`,
      );
    }
  }
  return schemas;
}

/**
 * The generic path, for validators records without generated validators: normalize by walking the
 * attribute definitions, parse with the zod `input` schema, then the checks zod cannot express.
 */
function validateGeneric(
  context: TypeContext,
  body: Record<string, unknown>,
  mode: NormalizeMode,
): Record<string, unknown> {
  const strict = mode.strict;
  const out: Record<string, unknown> = {};
  let schemasGiven: unknown;
  const presentExtensions = new Set<string>();
  for (const key of Object.keys(body)) {
    const found = isForbiddenKey(key) ? undefined : attributeOrExtension(context, key);
    if (!found) {
      // One rule for unknown attributes in bodies and PATCH values: ignored, or 400 invalidValue when strict.
      if (strict) {
        throw ScimError.invalidValue(
          `"${clip(key)}" is not an attribute of ${context.type.name} (schema ${context.base.id}) or of its extensions; extension attributes go under their schema URN (RFC 7643 §3.3)`,
        );
      }
      continue;
    }
    if (found.extension) {
      const { schema, attributes } = found.extension;
      const raw = body[key];
      if (raw === null) continue;
      if (!isPlainObject(raw))
        throw ScimError.invalidValue(`"${schema.id}" must be an object holding the extension's attributes`);
      const ext: Record<string, unknown> = {};
      for (const subKey of Object.keys(raw)) {
        const attribute = isForbiddenKey(subKey) ? undefined : attributes.get(subKey.toLowerCase());
        if (!attribute) {
          if (strict)
            throw ScimError.invalidValue(
              `"${schema.id}:${clip(subKey)}" is not an attribute of the ${schema.name} extension`,
            );
          continue;
        }
        if (attribute.mutability === "readOnly") continue;
        const value = normalizeValue(attribute, raw[subKey], `${schema.id}:${attribute.name}`, mode);
        if (value !== UNASSIGNED) ext[attribute.name] = value;
      }
      if (Object.keys(ext).length > 0) {
        out[schema.id] = ext;
        presentExtensions.add(schema.id);
      }
      continue;
    }
    const attribute = found.attribute;
    if (attribute.name === "schemas") {
      schemasGiven = body[key];
      continue;
    }
    if (attribute.mutability === "readOnly") continue;
    const value = normalizeValue(attribute, body[key], attribute.name, mode);
    if (value !== UNASSIGNED) out[attribute.name] = value;
  }

  out.schemas = schemasOf(context, schemasGiven, presentExtensions, strict);

  const parsed = context.validators.input.safeParse(out);
  if (!parsed.success) throw zodFailure(parsed.error, out);
  const result = parsed.data as Record<string, unknown>;

  forEachAttribute(context, result, checkRequiredNotBlank);
  checkSinglePrimary(context.attributes.values(), result, "");
  for (const [, ext] of context.extensions) {
    const value = result[ext.schema.id];
    if (isPlainObject(value)) checkSinglePrimary(ext.attributes.values(), value, `${ext.schema.id}:`);
  }
  if (strict)
    forEachAttribute(context, result, (attribute, value, where) =>
      checkCanonicalDeep(attribute, value, where),
    );
  return result;
}

/** Calls `fn` for every top-level and extension attribute present in a normalized resource. */
export function forEachAttribute(
  context: TypeContext,
  resource: Record<string, unknown>,
  fn: (attribute: AttributeDefinition, value: unknown, where: string) => void,
): void {
  for (const attribute of context.attributes.values())
    if (attribute.name in resource) fn(attribute, resource[attribute.name], attribute.name);
  for (const [, ext] of context.extensions) {
    const value = resource[ext.schema.id];
    if (!isPlainObject(value)) continue;
    for (const attribute of ext.attributes.values())
      if (attribute.name in value) fn(attribute, value[attribute.name], `${ext.schema.id}:${attribute.name}`);
  }
}

/**
 * RFC 7643 §3: `schemas` lists the base schema and the extensions the resource uses. Another resource
 * type's base schema is the wrong endpoint: 400 in both modes. Lenient: the list is rebuilt from what is
 * present (URNs in schema case, unknown URNs dropped). Strict: it must be an array naming the base
 * schema, every extension present, and nothing else, each once.
 */
function resolveSchemas(
  context: TypeContext,
  plan: SchemasPlan,
  given: unknown,
  present: ReadonlySet<string>,
  strict: boolean,
): string[] {
  const base = context.base.id;
  if (!onlyOwnSchemas(plan, given)) checkNotOtherResourceType(context, given);
  if (strict) {
    if (!Array.isArray(given) || given.some((s) => typeof s !== "string")) {
      throw ScimError.invalidValue(
        `"schemas" must be an array of schema URIs including "${base}" (RFC 7643 §3)`,
      );
    }
    checkNoDuplicateSchemas(given as string[]);
    const listed = new Set((given as string[]).map((s) => s.toLowerCase()));
    if (!listed.has(base.toLowerCase()))
      throw ScimError.invalidValue(`"schemas" must include "${base}" (RFC 7643 §3)`);
    for (const urn of listed) {
      if (urn !== base.toLowerCase() && !context.extensions.has(urn)) {
        throw ScimError.invalidValue(
          `"schemas" lists "${clip(urn)}", which is not a schema of ${context.type.name} (RFC 7643 §3)`,
        );
      }
    }
    for (const id of present) {
      if (!listed.has(id.toLowerCase()))
        throw ScimError.invalidValue(
          `the body has "${id}" attributes, so "schemas" must list "${id}" (RFC 7643 §3)`,
        );
    }
  }
  const out = [base];
  if (present.size > 0) for (const { id } of plan.extensions) if (present.has(id)) out.push(id);
  return out;
}

function equalValues(a: unknown, b: unknown, caseExact: boolean): boolean {
  if (typeof a === "string" && typeof b === "string")
    return caseExact ? a === b : a.toLowerCase() === b.toLowerCase();
  return JSON.stringify(a) === JSON.stringify(b);
}

/** RFC 7644 §3.5.1: an immutable attribute that has a value may only be sent again unchanged. */
function checkImmutable(context: TypeContext, existing: object, next: Record<string, unknown>): void {
  const stored = existing as Record<string, unknown>;
  const compare = (attribute: AttributeDefinition, before: unknown, after: unknown, where: string) => {
    if (before === undefined || before === null) return;
    if (attribute.mutability === "immutable") {
      if (after !== undefined && !equalValues(before, after, attribute.caseExact)) {
        throw ScimError.mutability(
          `"${where}" is immutable: it is already set and cannot be changed (RFC 7644 §3.5.1)`,
        );
      }
    }
  };
  forEachAttribute(context, next, (attribute, value, where) => {
    const before = where.includes(":")
      ? (stored[where.slice(0, where.lastIndexOf(":"))] as Record<string, unknown> | undefined)?.[
          attribute.name
        ]
      : stored[attribute.name];
    compare(attribute, before, value, where);
  });
}

import { type AttributeDefinition, isScimError, ScimError } from "@scimkit/core";
import { parsePath } from "@scimkit/filter";
import {
  inferResourceType,
  isPlainObject,
  registryOf,
  type SchemaOptions,
  type TypeContext,
  typeContext,
} from "./context.js";
import { clip } from "./normalize.js";
import { FALLBACK, projectDefault } from "./projection-default.js";

/**
 * Options of {@link projectResource}: the `attributes` / `excludedAttributes` parameters of RFC 7644
 * §3.4.2.5 (comma-separated strings or lists).
 *
 * @example
 * projectResource(user, { attributes: "userName,emails.value" });
 */
export interface ProjectionOptions extends SchemaOptions {
  readonly attributes?: string | readonly string[];
  readonly excludedAttributes?: string | readonly string[];
  /** Default: the resource's `meta.resourceType`, else from its `schemas`, else User. */
  readonly resourceType?: string;
  /**
   * Read the names as RFC 7644 §3.4.2.5 and §3.10 give them: unknown names, unqualified extension
   * attributes (`department`) and value filters (`emails[type eq "work"]`) are 400 `invalidValue`
   * instead of ignored, resolved, or read as their attribute. Default false.
   */
  readonly strict?: boolean;
}

/**
 * `attributes` names attributes (RFC 7644 §3.4.2.5), not values; a value filter (`emails[type eq "work"]`,
 * `emails[type eq "work"].value`) is read as the attribute it filters (`emails`, `emails.value`) in
 * lenient mode: every value is returned, since selecting values is not what the parameter does.
 */
function withoutValueFilter(name: string, strict: boolean | undefined): string {
  if (strict === true || !name.includes("[")) return name;
  try {
    const parsed = parsePath(name);
    const attribute = `${parsed.path.uri === undefined ? "" : `${parsed.path.uri}:`}${parsed.path.attribute}`;
    return parsed.subAttribute === undefined ? attribute : `${attribute}.${parsed.subAttribute}`;
  } catch (error) {
    if (isScimError(error)) return name;
    throw error;
  }
}

/** What is selected of one attribute: all of it, or some sub-attributes. */
type Selection = true | Set<string>;

function list(value: string | readonly string[] | undefined): string[] {
  if (value === undefined) return [];
  const items = typeof value === "string" ? value.split(",") : value;
  return items.map((s) => s.trim()).filter((s) => s !== "");
}

/** Selections keyed by holder ("" for the resource, else an extension URN), then attribute name. */
type Selections = Map<string, Map<string, Selection>>;

function select(selections: Selections, holder: string, attribute: string, sub: string | undefined): void {
  let byName = selections.get(holder);
  if (!byName) {
    byName = new Map();
    selections.set(holder, byName);
  }
  const current = byName.get(attribute);
  if (current === true) return;
  if (sub === undefined) byName.set(attribute, true);
  else if (current) current.add(sub);
  else byName.set(attribute, new Set([sub]));
}

function isReturnable(attribute: AttributeDefinition): boolean {
  return attribute.returned !== "never" && attribute.mutability !== "writeOnly";
}

/**
 * Applies `attributes` or `excludedAttributes` (RFC 7644 §3.4.2.5) with the `returned` characteristic of
 * RFC 7643 §7: `always` attributes are returned even when excluded or not requested, `never` ones (and
 * writeOnly ones) never, `request` ones only when named in `attributes`. Names may be sub-attributes
 * (`name.givenName`), URN-qualified (`urn:…:enterprise:2.0:User:manager`) or a whole extension URN, in
 * any case; unless `strict`, also unqualified when one extension has the name (`department`), and a value
 * filter is read as its attribute (`emails[type eq "work"]` → `emails`). Returns a new object; the input
 * is not changed. When both lists are given, `attributes` wins.
 *
 * @example
 * projectResource(user, { excludedAttributes: ["groups", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"] });
 */
export function projectResource<T extends object>(resource: T, options: ProjectionOptions = {}): Partial<T> {
  const registry = registryOf(options);
  const context = typeContext(options.resourceType ?? inferResourceType(resource, registry), options);
  const include = list(options.attributes);
  const exclude = include.length > 0 ? [] : list(options.excludedAttributes);
  if (include.length === 0 && exclude.length === 0) {
    // No parameters: only `returned` applies, planned once per resource type (projection-default.ts).
    const projected = projectDefault(resource as Record<string, unknown>, context);
    if (projected !== FALLBACK) return projected as Partial<T>;
  }
  return projectGeneral(resource, options, context, include, exclude);
}

/**
 * The general projection (any parameters, any spelling of names): what {@link projectResource} does
 * when the default plan does not apply. Exported for the tests that compare the two.
 */
export function projectGeneral<T extends object>(
  resource: T,
  options: ProjectionOptions,
  context: TypeContext,
  include: readonly string[],
  exclude: readonly string[],
): Partial<T> {
  const registry = context.registry;
  const selections: Selections = new Map();
  for (const path of include.length > 0 ? include : exclude) {
    const extension = context.extensions.get(path.toLowerCase());
    if (extension) {
      for (const a of extension.attributes.values())
        select(selections, extension.schema.id, a.name, undefined);
      continue;
    }
    const resolved = registry.resolve(context.type.name, withoutValueFilter(path, options.strict), {
      strict: options.strict === true,
    });
    if (!resolved) {
      if (options.strict) {
        const candidates = registry.candidates(context.type.name, path);
        const hint =
          candidates.length === 0
            ? path.includes("[")
              ? "; it takes attribute names, not value filters (RFC 7644 §3.4.2.5)"
              : ""
            : `; qualify it with its schema URN: ${candidates.map((c) => `"${c}"`).join(" or ")} (RFC 7644 §3.10)`;
        throw ScimError.invalidValue(
          `"${clip(path)}" in ${include.length > 0 ? "attributes" : "excludedAttributes"} names no attribute of ${context.type.name}${hint}`,
        );
      }
      continue;
    }
    const holder = resolved.extension ? (resolved.schemaId as string) : "";
    select(selections, holder, resolved.names[0], resolved.names[1]);
  }
  const mode = include.length > 0 ? "include" : exclude.length > 0 ? "exclude" : "default";

  const source = resource as Record<string, unknown>;
  const keys = new Map(Object.keys(source).map((k) => [k.toLowerCase(), k] as const));
  const out: Record<string, unknown> = {};
  const project = (
    attribute: AttributeDefinition,
    value: unknown,
    selected: Selection | undefined,
  ): unknown => {
    if (!isReturnable(attribute)) return undefined;
    const whole = selected === true;
    let wanted: boolean;
    if (attribute.returned === "always") wanted = true;
    else if (mode === "include") wanted = selected !== undefined;
    else if (mode === "exclude") wanted = attribute.returned === "default" && !whole;
    else wanted = attribute.returned === "default";
    if (!wanted) return undefined;
    if (attribute.type !== "complex") return value;
    const subs = selected instanceof Set ? selected : undefined;
    const one = (v: unknown) => (isPlainObject(v) ? projectComplex(attribute, v, subs, mode, whole) : v);
    return Array.isArray(value) ? value.map(one) : one(value);
  };

  for (const attribute of context.attributes.values()) {
    const key = keys.get(attribute.name.toLowerCase());
    if (key === undefined) continue;
    const value = project(attribute, source[key], selections.get("")?.get(attribute.name));
    if (value !== undefined) out[attribute.name] = value;
  }
  for (const [lower, ext] of context.extensions) {
    const key = keys.get(lower);
    const value = key === undefined ? undefined : source[key];
    if (!isPlainObject(value)) continue;
    const extOut: Record<string, unknown> = {};
    const extKeys = new Map(Object.keys(value).map((k) => [k.toLowerCase(), k] as const));
    for (const attribute of ext.attributes.values()) {
      const k = extKeys.get(attribute.name.toLowerCase());
      if (k === undefined) continue;
      const projected = project(attribute, value[k], selections.get(ext.schema.id)?.get(attribute.name));
      if (projected !== undefined) extOut[attribute.name] = projected;
    }
    if (Object.keys(extOut).length > 0) out[ext.schema.id] = extOut;
  }
  return out as Partial<T>;
}

function projectComplex(
  attribute: AttributeDefinition,
  value: Record<string, unknown>,
  subs: Set<string> | undefined,
  mode: "include" | "exclude" | "default",
  whole: boolean,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const keys = new Map(Object.keys(value).map((k) => [k.toLowerCase(), k] as const));
  for (const sub of attribute.subAttributes ?? []) {
    const key = keys.get(sub.name.toLowerCase());
    if (key === undefined || !isReturnable(sub)) continue;
    let wanted: boolean;
    if (sub.returned === "always") wanted = true;
    else if (mode === "include") wanted = whole ? sub.returned === "default" : (subs?.has(sub.name) ?? false);
    else if (mode === "exclude") wanted = sub.returned === "default" && !(subs?.has(sub.name) ?? false);
    else wanted = sub.returned === "default";
    if (wanted) out[sub.name] = value[key];
  }
  return out;
}

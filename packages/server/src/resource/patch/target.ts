import { type AttributeDefinition, isScimError, type ResolvedAttribute, ScimError } from "@scimkit/core";
import { type Path, parsePath } from "@scimkit/filter";
import { type ExtensionContext, isPlainObject, subAttributesOf, type TypeContext } from "../context.js";
import { clip } from "../normalize.js";
import type { Resolved, Run, Target, TargetMemo } from "./run.js";

/**
 * Resolved paths per resource type context, one map per mode (lenient resolves unqualified extension
 * attributes, strict does not); keyed by the path text itself, whose hash the string keeps, so a hit
 * builds no key. Bounded, so client-chosen paths cannot grow it without limit.
 */
const targetCache = new WeakMap<
  TypeContext,
  [Map<string, Resolved | ScimError>, Map<string, Resolved | ScimError>]
>();

const TARGET_CACHE_SIZE = 1000;
let lastContext: TypeContext | undefined;
let lastCaches: [Map<string, Resolved | ScimError>, Map<string, Resolved | ScimError>] | undefined;

/** Resolves a PATCH path (RFC 7644 §3.5.2); 400 `invalidPath` when it names no attribute of the resource type. */
export function resolveTarget(run: Run, text: string): Resolved {
  const found = lookupTarget(run, text);
  if (found instanceof ScimError) throw found;
  return found;
}

/**
 * Like {@link resolveTarget}, but a path that names no attribute (or does not parse) is returned as the
 * `invalidPath` error instead of thrown, so a lenient path-less value can ignore the key. Paths that name
 * an attribute wrongly (a filter on a single-valued attribute) and ambiguous names still throw.
 */
export function lookupTarget(run: Run, text: string): Resolved | ScimError {
  // The context of the previous look-up answers without the WeakMap (one resource type at a time, usually).
  let caches = run.context === lastContext ? lastCaches : targetCache.get(run.context);
  if (!caches) {
    caches = [new Map(), new Map()];
    targetCache.set(run.context, caches);
  }
  lastContext = run.context;
  lastCaches = caches;
  const cache = caches[run.strict ? 1 : 0];
  const cached = cache.get(text);
  if (cached) return cached;
  const resolved = resolveTargetUncached(run, text);
  if (cache.size >= TARGET_CACHE_SIZE) cache.clear();
  cache.set(text, resolved);
  return resolved;
}

/** Lenient: `urn:…:enterprise:2.0:User.manager` (Microsoft's spelling) is `urn:…:enterprise:2.0:User:manager`. */
function withExtensionColon(run: Run, text: string): string {
  if (run.strict) return text;
  const lower = text.toLowerCase();
  for (const [urn, extension] of run.context.extensions)
    if (lower.startsWith(`${urn}.`)) return `${extension.schema.id}:${text.slice(urn.length + 1)}`;
  return text;
}

function unknownPath(run: Run, text: string, name: string, uri: string | undefined): ScimError {
  const { registry, type } = run.context;
  const candidates = uri === undefined ? registry.candidates(type.name, name) : [];
  if (candidates.length > 1) {
    // Ambiguous in both modes: guessing one of the extensions could write the wrong attribute.
    throw ScimError.invalidPath(
      `"${clip(text)}" is ambiguous: ${candidates.map((c) => `"${c}"`).join(" and ")} all match; qualify it with its schema URN (RFC 7644 §3.10)`,
    );
  }
  const hint =
    candidates.length === 1
      ? `; strict mode needs extension attributes qualified with their schema URN: "${candidates[0]}" (RFC 7644 §3.10)`
      : uri === undefined
        ? ""
        : ` (schema "${clip(uri)}")`;
  return ScimError.invalidPath(`"${clip(text)}" names no attribute of ${type.name}${hint}`);
}

function resolveTargetUncached(run: Run, given: string): Resolved | ScimError {
  const extension = run.context.extensions.get(given.toLowerCase());
  if (extension) return { extensionOnly: extension };
  const text = withExtensionColon(run, given);
  let parsed: Path;
  try {
    parsed = parsePath(text);
  } catch (error) {
    if (isScimError(error)) return ScimError.invalidPath(error.detail);
    throw error;
  }
  const uri = parsed.path.uri;
  const name = `${uri === undefined ? "" : `${uri}:`}${parsed.path.attribute}`;
  const full = parsed.path.subAttribute === undefined ? name : `${name}.${parsed.path.subAttribute}`;
  const resolved: ResolvedAttribute | undefined = run.context.registry.resolve(run.context.type.name, full, {
    strict: run.strict,
  });
  if (!resolved) return unknownPath(run, given, full, uri);
  const top = resolved.parent ?? resolved.attribute;
  const extension2 =
    resolved.extension && resolved.schemaId !== undefined
      ? run.context.extensions.get(resolved.schemaId.toLowerCase())
      : undefined;
  const where = resolved.path;
  if (parsed.filter !== undefined) {
    if (resolved.parent !== undefined)
      throw ScimError.invalidPath(
        `"${clip(given)}": a value filter applies to a multi-valued attribute, not to a sub-attribute`,
      );
    if (!top.multiValued)
      throw ScimError.invalidPath(
        `"${clip(given)}": "${top.name}" is single-valued, so it cannot take a value filter`,
      );
    let sub: AttributeDefinition | undefined;
    if (parsed.subAttribute !== undefined) {
      sub = top.type === "complex" ? subAttributesOf(top).get(parsed.subAttribute.toLowerCase()) : undefined;
      if (!sub)
        return ScimError.invalidPath(
          `"${clip(given)}": "${top.name}" has no sub-attribute "${clip(parsed.subAttribute)}"`,
        );
    }
    // The filter names the attribute canonically, so it evaluates the same whatever spelling was sent.
    const path =
      extension2 === undefined ? { attribute: top.name } : { uri: extension2.schema.id, attribute: top.name };
    return {
      attribute: top,
      ...(sub !== undefined && { sub }),
      filter: { op: "valuePath", path, filter: parsed.filter },
      filterText: clip(given),
      ...(extension2 !== undefined && { extension: extension2 }),
      where: sub === undefined ? where : `${where}.${sub.name}`,
      memo: newMemo(),
    };
  }
  return {
    attribute: top,
    ...(resolved.parent !== undefined && { sub: resolved.attribute }),
    ...(extension2 !== undefined && { extension: extension2 }),
    where,
    memo: newMemo(),
  };
}

const newMemo = (): TargetMemo => ({ whole: undefined, element: undefined, predicate: undefined });

/** The object holding a target's attribute: the resource, or its extension object (created for writes). */
export function holder(
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
  markOwned(run, fresh);
  run.resource[extension.schema.id] = fresh;
  return fresh;
}

/** A copy of `value` this run may change (copied once; values the run made are changed in place). */
export function owned<V extends object>(run: Run, value: V): V {
  if (run.owned?.has(value)) return value;
  // Spread, not slice(): slice() of a frozen array takes V8's slow path.
  const copy = (Array.isArray(value) ? [...value] : { ...value }) as V;
  markOwned(run, copy);
  return copy;
}

function markOwned(run: Run, value: object): void {
  if (run.owned === undefined) run.owned = new Set();
  run.owned.add(value);
}

/** Reads `holder[attribute]` whatever the case of the stored key, renaming it to schema case. */
export function read(holderObject: Record<string, unknown>, attribute: AttributeDefinition): unknown {
  const exact = holderObject[attribute.name];
  if (exact !== undefined || attribute.name in holderObject) return exact;
  const lower = attribute.name.toLowerCase();
  const key = Object.keys(holderObject).find((k) => k.toLowerCase() === lower);
  if (key === undefined) return undefined;
  const value = holderObject[key];
  delete holderObject[key];
  holderObject[attribute.name] = value;
  return value;
}

export function readTarget(run: Run, target: Target): unknown {
  const h = holder(run, target.extension, false);
  if (!h) return undefined;
  const current = read(h, target.attribute);
  if (target.sub && isPlainObject(current)) return current[target.sub.name];
  return current;
}

export function deleteAttribute(run: Run, h: Record<string, unknown>, target: Target): void {
  const attribute = target.attribute;
  if (attribute.required) {
    throw ScimError.mutability(`"${target.where}" is required, so it cannot be removed (RFC 7644 §3.5.2.2)`);
  }
  delete h[attribute.name];
  if (target.extension && Object.keys(h).length === 0) delete run.resource[target.extension.schema.id];
}

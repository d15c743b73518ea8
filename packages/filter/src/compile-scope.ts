/** Where {@link compileFilter} looks attributes up: the schema registry of a bundle, and the resolution of a path in a scope. */
import {
  coreBundle,
  type ResolvedAttribute,
  SchemaRegistry,
  type ScimBundle,
  ScimError,
} from "@scimkit/core";
import type { AttributePath } from "./ast.js";

/** The core bundle's resource types, User first (DESIGN.md: "defaults to the core bundle's User and Group"). */
export const CORE_TYPES: readonly string[] = ["User", "Group"];
let defaultRegistry: SchemaRegistry | undefined;
const registries = new WeakMap<ScimBundle, SchemaRegistry>();

export function registryOf(bundle: ScimBundle | SchemaRegistry | undefined): SchemaRegistry {
  if (bundle === undefined) {
    defaultRegistry ??= new SchemaRegistry(coreBundle());
    return defaultRegistry;
  }
  if (bundle instanceof SchemaRegistry) return bundle;
  let registry = registries.get(bundle);
  if (!registry) {
    registry = new SchemaRegistry(bundle);
    registries.set(bundle, registry);
  }
  return registry;
}

export interface Scope {
  readonly registry: SchemaRegistry;
  readonly types: readonly string[];
  readonly unknown: "reject" | "absent";
  readonly strict: boolean;
  /** True for the root node only: its matcher may guard the resource itself ({@link Mode} `TOP`). */
  readonly top?: boolean;
  /** Set inside `attr[...]`: paths there name sub-attributes of this attribute. */
  readonly parent?: { readonly resolved: ResolvedAttribute; readonly type: string; readonly label: string };
}

export interface Target {
  readonly resolved: ResolvedAttribute;
  readonly type: string;
  /** Property names from the node the matcher runs on: the resource, or the element in a value path. */
  readonly steps: readonly string[];
}

export function label(path: AttributePath): string {
  return `${path.uri === undefined ? "" : `${path.uri}:`}${path.attribute}${path.subAttribute === undefined ? "" : `.${path.subAttribute}`}`;
}

export function resolve(path: AttributePath, scope: Scope): Target | undefined {
  const text = label(path);
  const { parent } = scope;
  if (parent) {
    if (path.uri !== undefined || path.subAttribute !== undefined) {
      throw ScimError.invalidFilter(
        `inside "${parent.label}[...]" name a sub-attribute of "${parent.label}" (e.g. "${parent.resolved.attribute.subAttributes?.[0]?.name ?? "value"}"), found "${text}"`,
      );
    }
    const resolved = scope.registry.resolve(parent.type, `${parent.resolved.path}.${path.attribute}`);
    if (resolved) return { resolved, type: parent.type, steps: [resolved.names[1] ?? resolved.names[0]] };
    if (scope.unknown === "absent") return undefined;
    const subs = parent.resolved.attribute.subAttributes?.map((a) => a.name).join(", ") ?? "none";
    throw ScimError.invalidFilter(
      `"${parent.label}" has no sub-attribute "${path.attribute}" (it has: ${subs})`,
    );
  }
  for (const type of scope.types) {
    const resolved = scope.registry.resolve(type, text, { strict: scope.strict });
    if (resolved) {
      const steps =
        resolved.extension && resolved.schemaId !== undefined
          ? [resolved.schemaId, ...resolved.names]
          : [...resolved.names];
      return { resolved, type, steps };
    }
  }
  if (scope.unknown === "absent") return undefined;
  const where =
    scope.types.length === 1 ? `resource type ${scope.types[0]}` : `resource types ${scope.types.join(", ")}`;
  let hint = "";
  if (path.uri === undefined) {
    for (const type of scope.types) {
      const candidates = scope.registry.candidates(type, text);
      if (candidates.length === 0) continue;
      hint =
        candidates.length === 1
          ? `; did you mean "${candidates[0]}"? Extension attributes need their schema URN (RFC 7644 §3.10)`
          : `; it is ambiguous: ${candidates.map((c) => `"${c}"`).join(" or ")}; qualify it with its schema URN (RFC 7644 §3.10)`;
      break;
    }
  }
  throw ScimError.invalidFilter(`unknown attribute "${text}" for ${where}${hint}`);
}

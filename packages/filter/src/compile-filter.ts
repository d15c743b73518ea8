/** {@link compileFilter}: options, scope, and the choice between generated code and closures. */
import { type SchemaRegistry, type ScimBundle, ScimError } from "@scimkit/core";
import type { Filter } from "./ast.js";
import { compileNode } from "./compile-closures.js";
import { CORE_TYPES, registryOf, type Scope } from "./compile-scope.js";
import { compileSource } from "./compile-source.js";
import { GUARDED } from "./matchers.js";
import { parseFilter } from "./parse-filter.js";
import { depthLimit, type ParseOptions } from "./parse-options.js";

/**
 * How {@link compileFilter} resolves attributes and what it accepts.
 *
 * @example
 * compileFilter('displayName sw "Eng"', { resourceType: "Group" });
 * compileFilter('urn:acme:params:scim:schemas:extension:2.0:Device:serial eq "X1"', { bundle: acmeBundle, resourceType: "Device" });
 */
export interface CompileOptions extends ParseOptions {
  /**
   * The resource type whose schemas define the attributes (any case, or its endpoint such as "/Users").
   * Without it, each attribute resolves against several resource types, first match wins, as a query
   * against the server root would: User (with EnterpriseUser), then Group for the default core bundle;
   * every resource type of a given bundle, in bundle order.
   */
  readonly resourceType?: string;
  /** The schemas: a generated bundle or a {@link SchemaRegistry}; default `coreBundle()`. */
  readonly bundle?: ScimBundle | SchemaRegistry;
  /**
   * What an attribute no schema defines does: `"reject"` (default) fails with 400 `invalidFilter`;
   * `"absent"` treats it as having no value (RFC 7644 §3.4.2: "a presence or equality filter for an
   * undefined attribute evaluates to false").
   */
  readonly unknownAttributes?: "reject" | "absent";
  /**
   * Read RFC 7644 §3.10 literally: extension attributes only with their schema URN
   * (`urn:…:enterprise:2.0:User:employeeNumber`). By default (false) an unqualified name that exactly
   * one extension of the resource type defines resolves to it, as {@link SchemaRegistry.resolve} does
   * (§3.10 says clients SHOULD qualify them; identity providers send `manager`, `department`).
   */
  readonly strict?: boolean;
}

/**
 * A compiled filter: true when the resource matches. Never throws and never mutates its argument;
 * anything that is not a plain object, and values of unexpected types, simply do not match.
 *
 * @example
 * const active: FilterPredicate = compileFilter("active eq true");
 * users.filter(active);
 */
export type FilterPredicate = (resource: object) => boolean;

/**
 * Compiles a filter once into a predicate with the schema's semantics (RFC 7644 §3.4.2.2): names match
 * in any case; `caseExact: false` strings compare case-insensitively; dateTimes compare as instants;
 * integers and decimals numerically; a multi-valued attribute matches when any value does; a complex
 * multi-valued attribute without a sub-attribute compares its `value`; the conditions of one
 * `attr[...]` hold for one and the same element. See the README for every rule.
 *
 * @throws {ScimError} 400 `invalidFilter` for a syntax error, an unknown attribute (unless
 *   `unknownAttributes: "absent"`), or a comparison the RFC forbids (`gt` on a boolean, `co` on an
 *   integer, a value of the wrong type).
 * @example
 * const match = compileFilter('emails[type eq "work" and value co "@example.com"]', { resourceType: "User" });
 * match({ emails: [{ type: "Work", value: "bjensen@EXAMPLE.com" }] }); // true
 */
export function compileFilter(filter: string | Filter, options?: CompileOptions): FilterPredicate {
  return compileWith(filter, options, "source");
}

/**
 * {@link compileFilter} with a chosen back end (internal; tests compare the two): `"source"` generates
 * code (compile-source.ts) and falls back to closures where code generation is refused, `"closures"`
 * always builds closures (compile-closures.ts).
 */
export function compileWith(
  filter: string | Filter,
  options: CompileOptions | undefined,
  backEnd: "source" | "closures",
): FilterPredicate {
  const max = depthLimit(options);
  const ast = typeof filter === "string" ? parseFilter(filter, options) : filter;
  if (typeof ast !== "object" || ast === null)
    throw ScimError.invalidFilter("the filter must be a string or a Filter");
  const registry = registryOf(options?.bundle);
  const types =
    options?.resourceType !== undefined
      ? [options.resourceType]
      : options?.bundle === undefined
        ? CORE_TYPES
        : registry.bundle.resourceTypes.map((t) => t.name);
  const scope: Scope = {
    registry,
    types,
    unknown: options?.unknownAttributes ?? "reject",
    strict: options?.strict === true,
    top: true,
  };
  if (backEnd === "source") {
    const generated = compileSource(ast, scope, max);
    if (generated !== undefined) return generated;
  }
  const root = compileNode(ast, scope, 0, max);
  if (GUARDED.has(root)) return root as FilterPredicate;
  return (resource) => {
    if (typeof resource !== "object" || resource === null || Array.isArray(resource)) return false;
    try {
      return root(resource);
    } catch {
      // Only hostile objects (throwing getters, proxies) get here; they simply do not match.
      return false;
    }
  };
}

import type { ScimBundle } from "@scimkit/core";
import {
  type AnyAttributePaths,
  type AttributePathInfo,
  type AttributePathMap,
  type Filter,
  type FilterBuilder,
  filterBuilder,
  parseAttributePath,
  type SubAttributePaths,
  stringifyFilter,
} from "@scimkit/filter";
import {
  listValues,
  type MultiValued,
  multiValuedAttributes,
  type PatchOperation,
} from "./patch-operation.js";

type Key<P> = Extract<keyof P, string>;
type Info<P, K> = K extends keyof P ? (P[K] extends AttributePathInfo ? P[K] : never) : never;

/**
 * Paths a PATCH may write: every path of the map except `readOnly` ones (`id`, `meta.*`, `groups`),
 * which a server ignores or rejects (RFC 7643 §2.2, RFC 7644 §3.5.2).
 *
 * @example
 * type P = WritablePath<UserAttributePaths>; // "userName" | "emails" | "name.givenName" | … but not "id" or "meta.created"
 */
export type WritablePath<P> =
  string extends Key<P>
    ? string
    : { [K in Key<P>]: Info<P, K> extends { mutability: "readOnly" } ? never : K }[Key<P>];

/**
 * Multi-valued complex attributes, the ones a value filter (`emails[type eq "work"]`) selects from.
 *
 * @example
 * type P = FilterablePath<UserAttributePaths>; // "emails" | "addresses" | "phoneNumbers" | …
 */
export type FilterablePath<P> =
  string extends Key<P>
    ? string
    : {
        [K in WritablePath<P>]: Info<P, K> extends { type: "complex"; multiValued: true } ? K : never;
      }[WritablePath<P>];

/**
 * The value an `add` / `replace` of path `K` takes: one value of the attribute, or — for a
 * multi-valued attribute — one value or an array of them (RFC 7644 §3.5.2.1, §3.5.2.3). One value of
 * a multi-valued attribute goes on the wire as a one-element list.
 *
 * @example
 * type V = PatchPathValue<UserAttributePaths, "emails">; // UserEmail | readonly UserEmail[]
 */
export type PatchPathValue<P, K extends string> =
  string extends Key<P>
    ? unknown
    : Info<P, K> extends { multiValued: true; value: infer V }
      ? V | readonly V[]
      : Info<P, K> extends { value: infer V }
        ? V
        : never;

/**
 * The values of a multi-valued complex attribute selected by a value filter; operations on them
 * target `attribute[filter]` or `attribute[filter].subAttribute` (RFC 7644 §3.5.2).
 *
 * @example
 * p.where("emails", (e) => e.eq("type", "work")).replace("value", "babs@example.com")
 * // { op: "replace", path: 'emails[type eq "work"].value', value: "babs@example.com" }
 */
export interface ValueSelection<S> {
  /** Replaces the sub-attributes given on every selected value (`emails[type eq "work"]`). */
  replace(value: { [K in keyof S]?: S[K] extends { value: infer V } ? V : never }): PatchOperation;
  /** Replaces one sub-attribute of every selected value (`emails[type eq "work"].value`). */
  replace<K extends WritablePath<S>>(subAttribute: K, value: PatchPathValue<S, K>): PatchOperation;
  /** Removes the selected values (`members[value eq "2819c223"]`). */
  remove(): PatchOperation;
  /** Removes one sub-attribute of every selected value (`emails[type eq "work"].display`). */
  remove<K extends WritablePath<S>>(subAttribute: K): PatchOperation;
}

/**
 * Builds PATCH operations (RFC 7644 §3.5.2) whose paths are checked against an attribute-path map at
 * compile time: misspelt or read-only paths and values of the wrong type do not compile.
 *
 * @example
 * const p = patchBuilder<UserAttributePaths>();
 * await client.users.patch(id, [
 *   p.replace("active", false),
 *   p.add("emails", { value: "babs@example.com", type: "home" }),
 *   p.where("emails", (e) => e.eq("type", "work")).remove(),
 *   p.remove("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager"),
 * ]);
 */
export interface PatchBuilder<P, V = Record<string, unknown>> {
  /** `add` at a path: sets a single value, appends to a multi-valued attribute (one value is sent as a list). @example p.add("emails", { value: "a@b.c" }) // value: [{ value: "a@b.c" }] */
  add<K extends WritablePath<P>>(path: K, value: PatchPathValue<P, K>): PatchOperation;
  /** `add` without a path: the value is a partial resource merged into the resource. @example p.add({ nickName: "Babs" }) */
  add(value: V): PatchOperation;
  /** `replace` at a path: the attribute's value (all values of a multi-valued one, by the list given or a list of the one value given) is replaced. @example p.replace("active", false) */
  replace<K extends WritablePath<P>>(path: K, value: PatchPathValue<P, K>): PatchOperation;
  /** `replace` without a path: each attribute of the partial resource replaces the resource's. @example p.replace({ displayName: "Babs" }) */
  replace(value: V): PatchOperation;
  /** `remove` of an attribute (every value of a multi-valued one). @example p.remove("nickName") */
  remove<K extends WritablePath<P>>(path: K): PatchOperation;
  /**
   * Selects the values of a multi-valued complex attribute that match a filter built over its
   * sub-attributes, to replace or remove them.
   *
   * @example p.where("members", (m) => m.eq("value", userId)).remove()
   */
  where<K extends FilterablePath<P>>(
    path: K,
    filter: (builder: FilterBuilder<SubAttributePaths<P, K>>) => Filter,
  ): ValueSelection<SubAttributePaths<P, K>>;
}

const anyFilter = filterBuilder();

/** Checks a path the way a server reads it, so a bad one fails here (400 invalidPath) rather than on the wire. */
function checked(path: string): string {
  parseAttributePath(path);
  return path;
}

/** A builder whose `add` / `replace` send the values of the attributes in `multiValued` as lists. */
export function builderFor(multiValued: MultiValued): PatchBuilder<AnyAttributePaths> {
  const operation = (op: "add" | "replace", pathOrValue: unknown, rest: unknown[]): PatchOperation =>
    listValues(
      rest.length === 0
        ? { op, value: pathOrValue as Record<string, unknown> }
        : { op, path: checked(pathOrValue as string), value: rest[0] },
      multiValued,
    );
  return Object.freeze({
    add: (pathOrValue: unknown, ...rest: unknown[]) => operation("add", pathOrValue, rest),
    replace: (pathOrValue: unknown, ...rest: unknown[]) => operation("replace", pathOrValue, rest),
    remove: (path: string): PatchOperation => ({ op: "remove", path: checked(path) }),
    where(path: string, build: (builder: FilterBuilder<AnyAttributePaths>) => Filter) {
      // `attr[filter]` takes the replacement element, `attr[filter].sub` one value (RFC 7644 §3.5.2.3): no lists
      const selector = `${checked(path)}[${stringifyFilter(build(anyFilter))}]`;
      const target = (sub: string | undefined) =>
        sub === undefined ? selector : `${selector}.${checked(sub)}`;
      return {
        replace: (...args: unknown[]): PatchOperation =>
          args.length >= 2
            ? { op: "replace", path: target(args[0] as string), value: args[1] }
            : { op: "replace", path: selector, value: args[0] },
        remove: (sub?: string): PatchOperation => ({ op: "remove", path: target(sub) }),
      };
    },
  }) as unknown as PatchBuilder<AnyAttributePaths>;
}

/**
 * Which resource type a {@link patchBuilder} builds for, so that it knows the multi-valued attributes
 * whose values it sends as lists.
 *
 * @example patchBuilder<DeviceAttributePaths>({ bundle, resourceType: "Device" })
 */
export interface PatchBuilderOptions {
  /** The resource type's name; without it, the multi-valued attributes of every resource type of the bundle. */
  resourceType?: string | undefined;
  /** The schemas and resource types (`bundle` of `scimkit generate`'s output); default: RFC 7643's User and Group. */
  bundle?: ScimBundle | undefined;
}

let standard: PatchBuilder<AnyAttributePaths> | undefined;

/**
 * A typed PATCH operation builder over an attribute-path map (`UserAttributePaths` of
 * `@scimkit/models`, or the one `scimkit generate` writes for your schemas). Resource clients also
 * take a callback that receives one: `client.users.patch(id, (p) => [p.replace("active", false)])`.
 * One value for a multi-valued attribute is sent as a one-element list; the builder knows RFC 7643's
 * User and Group attributes, and those of `options.bundle`.
 *
 * @example
 * import type { UserAttributePaths, UserPatch } from "@scimkit/models";
 * const p = patchBuilder<UserAttributePaths, UserPatch>();
 * const ops = [p.replace("name.givenName", "Barbara"), p.where("emails", (e) => e.eq("primary", true)).replace("value", "b@example.com")];
 * p.add("emails", { value: "babs@example.com", type: "home" }); // { op: "add", path: "emails", value: [{ value: "babs@example.com", type: "home" }] }
 */
export function patchBuilder<P extends AttributePathMap<P> = AnyAttributePaths, V = Record<string, unknown>>(
  options?: PatchBuilderOptions,
): PatchBuilder<P, V> {
  if (options?.bundle !== undefined || options?.resourceType !== undefined)
    return builderFor(multiValuedAttributes(options.resourceType, options.bundle)) as never;
  standard ??= builderFor(multiValuedAttributes());
  return standard as unknown as PatchBuilder<P, V>;
}

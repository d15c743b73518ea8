/**
 * Result types narrowed by `attributes` / `excludedAttributes` (RFC 7644 §3.9), computed at compile time.
 *
 * Narrowing applies when every name is written exactly as the model spells it (a literal tuple such as
 * `["userName", "name.givenName"]`). A name the model does not know in that spelling (SCIM names are
 * case-insensitive, RFC 7643 §2.1), or a list known only at run time, gives {@link Unknown}: `id` and
 * `schemas`, and every other attribute optional, since the server may leave any of them out.
 */

/** Attributes a server returns whatever the projection says: `returned: "always"` (RFC 7643 §3.1, §7). */
type Always = "id" | "schemas";

/** The top-level key of resource `R` an attribute path names: `name.givenName` → `name`, `urn:…:User:manager.value` → `urn:…:User`. */
type TopKey<R, A extends string> = {
  [K in Extract<keyof R, string>]: A extends K
    ? K
    : A extends `${K}.${string}`
      ? K
      : K extends `urn:${string}`
        ? A extends `${K}:${string}`
          ? K
          : never
        : never;
}[Extract<keyof R, string>];

type Names<A> = A extends string
  ? A
  : A extends readonly (infer E)[]
    ? E extends string
      ? E
      : never
    : never;

/** True when `A` is one or more string literals each of which names a key of `R`. */
type Narrowable<R, A extends string> = string extends A
  ? false
  : [A] extends [never]
    ? false
    : (A extends unknown ? ([TopKey<R, A>] extends [never] ? true : false) : never) extends false
      ? true
      : false;

/** Names in a comma-separated string literal: `"userName,emails"` → `"userName" | "emails"`. */
type Split<S extends string> = S extends `${infer Head},${infer Tail}` ? Trim<Head> | Split<Tail> : Trim<S>;
type Trim<S extends string> = S extends ` ${infer T}` ? Trim<T> : S extends `${infer T} ` ? Trim<T> : S;
type Listed<A> = A extends string ? Split<A> : Names<A>;

/** What a projection the types cannot follow returns: `id` and `schemas`, everything else possibly absent. */
export type Unknown<R> = Pick<R, Extract<keyof R, Always>> & Partial<R>;

/**
 * `R` as returned with `attributes: A` — only the named top-level attributes (a sub-attribute keeps its
 * parent) plus `id` and `schemas`.
 *
 * @example
 * type T = WithAttributes<User, ["userName", "name.givenName"]>; // Pick<User, "id" | "schemas" | "userName" | "name">
 */
export type WithAttributes<R, A> =
  Narrowable<R, Listed<A>> extends true
    ? Pick<R, Extract<keyof R, Always | TopKey<R, Listed<A>>>>
    : Unknown<R>;

/**
 * `R` as returned with `excludedAttributes: A` — named top-level attributes left out (`id` and
 * `schemas` are always returned; excluding a sub-attribute keeps its parent).
 *
 * @example
 * type T = WithoutAttributes<User, ["groups", "photos"]>; // Omit<User, "groups" | "photos">
 */
export type WithoutAttributes<R, A> =
  Narrowable<R, Listed<A>> extends true ? Omit<R, Exclude<Extract<keyof R, Listed<A>>, Always>> : Unknown<R>;

/**
 * Resource `R` as a server returns it: with `meta`. RFC 7643 §3.1 gives `meta` `returned: "default"`,
 * so it comes back unless a projection leaves it out (which {@link Projected} follows: `attributes`
 * without `meta` drops it, `excludedAttributes: ["meta"]` too). Generated models type `meta` as
 * optional because a client never sends it; a model without `meta` (or an untyped one) is unchanged.
 * Its sub-attributes stay optional: `meta.version` only comes with versioning (RFC 7644 §3.14).
 *
 * @example
 * type U = Returned<User>; // User & { meta: Meta }
 * const user: U = await client.users.get(id);
 * user.meta.lastModified; // no `?.` needed
 */
export type Returned<R> = R extends { readonly meta?: infer M }
  ? unknown extends M
    ? R
    : R & { meta: Exclude<M, undefined> }
  : R;

/** An `attributes` / `excludedAttributes` value: a comma-separated string or a list of names. */
export type AttributeList = string | readonly string[];

/**
 * The type of what a request with `attributes: A` / `excludedAttributes: E` returns for resource `R`
 * (`A` wins when both are given, as RFC 7644 §3.9 lets a server ignore `excludedAttributes` then).
 *
 * @example
 * type T = Projected<User, ["userName"], undefined>; // Pick<User, "id" | "schemas" | "userName">
 */
export type Projected<R, A, E = undefined> = [A] extends [AttributeList]
  ? WithAttributes<R, A>
  : [E] extends [AttributeList]
    ? WithoutAttributes<R, E>
    : R;

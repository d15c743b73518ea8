import type { AttributeType } from "@scimkit/core";
import type {
  AttributePath,
  ComparisonFilter,
  ComparisonOperator,
  Filter,
  LogicalFilter,
  NotFilter,
  PresentFilter,
  ValuePathFilter,
} from "./ast.js";
import { attributePath } from "./attribute-path.js";

/**
 * What a generated attribute-path map says about one path: its SCIM type, whether it is multi-valued,
 * whether strings compare case-exactly, and the TypeScript type of one value.
 *
 * @example
 * const info: AttributePathInfo = { type: "string", multiValued: false, caseExact: false, value: "bjensen" };
 */
export interface AttributePathInfo {
  readonly type: AttributeType;
  readonly multiValued: boolean;
  readonly caseExact: boolean;
  readonly value: unknown;
}

/**
 * The shape of an attribute-path map such as `UserAttributePaths` from `@scimkit/models` (or the one
 * `scimkit generate` writes for your schemas): every valid path → its {@link AttributePathInfo}.
 *
 * @example
 * interface DevicePaths { serial: { type: "string"; multiValued: false; caseExact: true; value: string } }
 * const f = filterBuilder<DevicePaths>(); // DevicePaths satisfies AttributePathMap<DevicePaths>
 */
export type AttributePathMap<P> = { readonly [K in keyof P]: AttributePathInfo };

/**
 * The path map of {@link filterBuilder} without a type argument: any path, any JSON value.
 *
 * @example
 * const f = filterBuilder(); // FilterBuilder<AnyAttributePaths>
 * f.eq("anything.goes", 42);
 */
export type AnyAttributePaths = Record<
  string,
  { type: AttributeType; multiValued: boolean; caseExact: boolean; value: string | number | boolean }
>;

type Key<P> = Extract<keyof P, string>;
type Info<P, K> = K extends keyof P ? (P[K] extends AttributePathInfo ? P[K] : never) : never;
type IsNever<T> = [T] extends [never] ? true : false;

/** The path info a comparison on `K` uses: `K` itself, or `K.value` for a complex multi-valued attribute (RFC 7644 §3.4.2.2). */
type Compared<P, K extends string> = Info<P, K>["type"] extends "complex"
  ? Info<P, K>["multiValued"] extends true
    ? Info<P, `${K}.value`>
    : never
  : Info<P, K>;

type ValueOf<I extends AttributePathInfo> =
  | ("dateTime" extends I["type"] ? Date : never)
  | Extract<I["value"], string | number | boolean>;

/**
 * Paths `eq` and `ne` accept: every simple attribute, and complex multi-valued attributes with a
 * `value` sub-attribute.
 *
 * @example
 * type P = EqualityPath<UserAttributePaths>; // "userName" | "emails" | "emails.value" | …
 */
export type EqualityPath<P> = { [K in Key<P>]: IsNever<Compared<P, K>> extends true ? never : K }[Key<P>];

/**
 * Paths `gt`, `ge`, `lt` and `le` accept: not boolean, binary or complex (RFC 7644 §3.4.2.2 Table 3).
 *
 * @example
 * type P = OrderingPath<UserAttributePaths>; // "meta.lastModified" | "userName" | … but not "active"
 */
export type OrderingPath<P> = {
  [K in Key<P>]: IsNever<Exclude<Compared<P, K>["type"], "boolean" | "binary" | "complex">> extends true
    ? never
    : K;
}[Key<P>];

/**
 * Paths `co`, `sw` and `ew` accept: string and reference attributes.
 *
 * @example
 * type P = SubstringPath<UserAttributePaths>; // "userName" | "emails.value" | … but not "active" or "meta.created"
 */
export type SubstringPath<P> = {
  [K in Key<P>]: IsNever<Extract<Compared<P, K>["type"], "string" | "reference">> extends true ? never : K;
}[Key<P>];

/**
 * Complex attributes, the paths `valuePath` accepts.
 *
 * @example
 * type P = ComplexPath<UserAttributePaths>; // "name" | "emails" | "addresses" | …
 */
export type ComplexPath<P> = { [K in Key<P>]: "complex" extends Info<P, K>["type"] ? K : never }[Key<P>];

/**
 * The value `eq`/`ne` take for path `K`: the attribute's value type (a `Date` or a date-time string for
 * dateTime), or `null` (no value).
 *
 * @example
 * type V = EqualityValue<UserAttributePaths, "active">; // boolean | null
 */
export type EqualityValue<P, K extends string> = ValueOf<Compared<P, K>> | null;

/**
 * The value `gt`/`ge`/`lt`/`le` take for path `K`.
 *
 * @example
 * type V = OrderingValue<UserAttributePaths, "meta.lastModified">; // string | Date
 */
export type OrderingValue<P, K extends string> = ValueOf<Compared<P, K>>;

/**
 * The sub-attributes of complex attribute `K`, as a path map of their own (what the callback of
 * `valuePath` builds with).
 *
 * @example
 * type E = SubAttributePaths<UserAttributePaths, "emails">; // { value: …; type: …; primary: …; display: … }
 */
export type SubAttributePaths<P, K extends string> =
  string extends Key<P> ? P : { [S in Key<P> as S extends `${K}.${infer Sub}` ? Sub : never]: P[S] };

/**
 * Builds {@link Filter} trees with attribute paths, operators and values checked against a path map at
 * compile time. Every method returns exactly the node {@link parseFilter} produces for the same text.
 *
 * @example
 * const f = filterBuilder<UserAttributePaths>();
 * f.and(f.eq("userName", "bjensen"), f.valuePath("emails", (e) => e.and(e.eq("type", "work"), e.co("value", "@example.com"))));
 */
export interface FilterBuilder<P> {
  /** `path eq value`. @example f.eq("userName", "bjensen") */
  eq<K extends EqualityPath<P>>(path: K, value: EqualityValue<P, K>): ComparisonFilter;
  /** `path ne value`. @example f.ne("userType", "Intern") */
  ne<K extends EqualityPath<P>>(path: K, value: EqualityValue<P, K>): ComparisonFilter;
  /** `path co value` (contains). @example f.co("emails.value", "@example.com") */
  co<K extends SubstringPath<P>>(path: K, value: string): ComparisonFilter;
  /** `path sw value` (starts with). @example f.sw("userName", "J") */
  sw<K extends SubstringPath<P>>(path: K, value: string): ComparisonFilter;
  /** `path ew value` (ends with). @example f.ew("emails.value", ".org") */
  ew<K extends SubstringPath<P>>(path: K, value: string): ComparisonFilter;
  /** `path gt value`. @example f.gt("meta.lastModified", new Date("2011-05-13T04:42:34Z")) */
  gt<K extends OrderingPath<P>>(path: K, value: OrderingValue<P, K>): ComparisonFilter;
  /** `path ge value`. @example f.ge("meta.lastModified", "2011-05-13T04:42:34Z") */
  ge<K extends OrderingPath<P>>(path: K, value: OrderingValue<P, K>): ComparisonFilter;
  /** `path lt value`. @example f.lt("meta.created", "2020-01-01T00:00:00Z") */
  lt<K extends OrderingPath<P>>(path: K, value: OrderingValue<P, K>): ComparisonFilter;
  /** `path le value`. @example f.le("displayName", "M") */
  le<K extends OrderingPath<P>>(path: K, value: OrderingValue<P, K>): ComparisonFilter;
  /** `path pr` (has a value); any path. @example f.pr("title") */
  pr<K extends Key<P>>(path: K): PresentFilter;
  /**
   * `a and b and …`, one flat node (as the parser reads an unparenthesized chain). Given one filter, returns it.
   * @example f.and(f.pr("title"), f.eq("userType", "Employee"))
   */
  and(first: Filter, second: Filter, ...rest: Filter[]): LogicalFilter;
  and(...filters: readonly [Filter, ...Filter[]]): Filter;
  /**
   * `a or b or …`, one flat node. Given one filter, returns it.
   * @example f.or(f.pr("title"), f.eq("userType", "Intern"))
   */
  or(first: Filter, second: Filter, ...rest: Filter[]): LogicalFilter;
  or(...filters: readonly [Filter, ...Filter[]]): Filter;
  /** `not (filter)`. @example f.not(f.pr("title")) */
  not(filter: Filter): NotFilter;
  /**
   * `path[filter]`: conditions on one and the same value of a complex attribute, built with a builder
   * over its sub-attributes.
   * @example f.valuePath("emails", (e) => e.and(e.eq("type", "work"), e.pr("value")))
   */
  valuePath<K extends ComplexPath<P>>(
    path: K,
    build: (builder: FilterBuilder<SubAttributePaths<P, K>>) => Filter,
  ): ValuePathFilter;
}

function toPath(text: string): AttributePath {
  return attributePath(text, "filter");
}

function compare(op: ComparisonOperator) {
  return (path: string, value: unknown): ComparisonFilter => ({
    op,
    path: toPath(path),
    value: value instanceof Date ? value.toISOString() : (value as ComparisonFilter["value"]),
  });
}

function logical(op: "and" | "or") {
  return (...filters: Filter[]): Filter => {
    const [first] = filters;
    if (first === undefined) throw new TypeError(`${op}() needs at least one filter`);
    return filters.length === 1 ? first : { op, filters: filters as unknown as LogicalFilter["filters"] };
  };
}

const builder = Object.freeze({
  eq: compare("eq"),
  ne: compare("ne"),
  co: compare("co"),
  sw: compare("sw"),
  ew: compare("ew"),
  gt: compare("gt"),
  ge: compare("ge"),
  lt: compare("lt"),
  le: compare("le"),
  pr: (path: string): PresentFilter => ({ op: "pr", path: toPath(path) }),
  and: logical("and"),
  or: logical("or"),
  not: (filter: Filter): NotFilter => ({ op: "not", filter }),
  valuePath: (path: string, build: (b: unknown) => Filter): ValuePathFilter => ({
    op: "valuePath",
    path: toPath(path),
    filter: build(builder),
  }),
});

/**
 * A typed filter builder over an attribute-path map (from `@scimkit/models`, or generated for your
 * schemas). Misspelt paths, operators that do not fit the attribute's type (`gt` on a boolean, `co` on
 * an integer), values of the wrong type and unknown sub-attributes are compile-time errors. Without a
 * type argument, any path and value is accepted.
 *
 * @example
 * import type { UserAttributePaths } from "@scimkit/models";
 * const f = filterBuilder<UserAttributePaths>();
 * const filter = f.and(f.eq("userName", "bjensen"), f.pr("title"));
 * stringifyFilter(filter); // 'userName eq "bjensen" and title pr'
 */
export function filterBuilder<P extends AttributePathMap<P> = AnyAttributePaths>(): FilterBuilder<P> {
  return builder as unknown as FilterBuilder<P>;
}

import type { bundle as modelsBundle } from "@scimkit/models";
import type * as z from "zod";
import type { validators as coreValidators } from "../generated/zod.gen.js";
import type { ResourceValidators } from "./context.js";

/**
 * A `validators` record as `scimkit generate --zod` emits it: resource type name → its zod schemas.
 *
 * @example
 * import { validators } from "./scim/index.js";
 * const record: ValidatorsRecord = validators;
 */
export type ValidatorsRecord = Readonly<Record<string, ResourceValidators>>;

/** The validators of the RFC 7643 core (User, Group): what types `validateResource` without a bundle. @example type U = CoreValidators["User"]; */
export type CoreValidators = typeof coreValidators;

/** The RFC 7643 core bundle's type (User, Group), for the endpoints of the default resource types. @example type E = CoreBundle["resourceTypes"][number]["endpoint"]; // "/Users" | "/Groups" */
export type CoreBundle = typeof modelsBundle;

type TypesOf<B> = B extends { readonly resourceTypes: readonly (infer T)[] } ? T : never;

type EndpointOf<B> =
  TypesOf<B> extends infer T ? (T extends { readonly endpoint: infer E extends string } ? E : never) : never;

/**
 * What a resource type may be named as in a typed call: its name as generated (`"User"`), or its
 * endpoint as the bundle gives it (`"/Users"`).
 *
 * @example
 * const name: ResourceTypeName<CoreValidators, CoreBundle> = "/Users";
 */
export type ResourceTypeName<V extends ValidatorsRecord, B> =
  | Extract<keyof V, string>
  | Extract<EndpointOf<B>, string>;

/** The resource type name an endpoint stands for (`"/Devices"` → `"Device"`); a name stands for itself. */
type NameOf<B, N extends string> = N extends `/${string}`
  ? Extract<TypesOf<B>, { readonly endpoint: N }> extends { readonly name: infer M extends string }
    ? M
    : never
  : N;

/**
 * What `validateResource` returns for resource type `N`: the input view of its generated zod schema
 * (`UserInput` for "User": a create or replace body once normalized; `id` and `meta` are the server's
 * to add).
 *
 * @example
 * type U = ValidatedResource<CoreValidators, CoreBundle, "User">; // UserInput
 */
export type ValidatedResource<V extends ValidatorsRecord, B, N extends string> =
  NameOf<B, N> extends infer M extends keyof V ? z.output<V[M]["input"]> : never;

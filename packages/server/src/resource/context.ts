import {
  type AttributeDefinition,
  COMMON_ATTRIBUTES,
  coreBundle,
  type ResourceTypeDefinition,
  SCHEMAS_ATTRIBUTE,
  type SchemaDefinition,
  SchemaRegistry,
  type ScimBundle,
} from "@scimkit/core";
import type * as z from "zod";
import { validators as coreValidators } from "../generated/zod.gen.js";

/**
 * The zod schemas of one resource type, per view, as `scimkit generate --zod` emits them in `validators`.
 *
 * @example
 * import { validators } from "./scim/index.js"; // generated with --zod
 * const userValidators: ResourceValidators = validators.User;
 */
export interface ResourceValidators {
  /** The resource as returned. */
  readonly resource: z.ZodType;
  /** A create (POST) or replace (PUT) body. */
  readonly input: z.ZodType;
  /** Values of PATCH operations. */
  readonly patch: z.ZodType;
  /**
   * The straight-line validators `scimkit generate` writes into validators.gen.ts (zod.gen.ts links them
   * here). When present, {@link validateResource} runs them instead of normalizing generically and
   * parsing with `input`; records generated before they existed take the generic path.
   */
  readonly compiled?: { readonly input?: CompiledInputValidator };
}

/**
 * What a generated validator is given: the mode, the limits, how to fail, and the `schemas` resolution
 * (RFC 7643 §3). The shape validators.gen.ts declares as `CompiledMode`.
 *
 * @example
 * const mode: CompiledMode = { strict: false, maxStringLength: 65_536, maxValues: 50_000, invalid, schemas };
 */
export interface CompiledMode {
  readonly strict: boolean;
  readonly maxStringLength: number;
  readonly maxValues: number;
  invalid(detail: string): never;
  schemas(given: unknown, present: ReadonlySet<string>): string[];
}

/**
 * A generated create/replace body validator (validators.gen.ts `validate<Type>Input`).
 *
 * @example
 * import { compiledValidators } from "./scim/validators.gen.js";
 * const check: CompiledInputValidator = compiledValidators.User.input;
 */
export type CompiledInputValidator = (
  body: Record<string, unknown>,
  mode: CompiledMode,
) => Record<string, unknown>;

/**
 * Which schemas a function works with: a generated bundle and its generated zod validators. Both default
 * to the RFC 7643 core (User with EnterpriseUser, Group).
 *
 * @example
 * import { bundle, validators } from "./scim/index.js"; // scimkit generate --zod
 * validateResource("Device", body, { operation: "create", bundle, validators });
 */
export interface SchemaOptions {
  readonly bundle?: ScimBundle;
  readonly validators?: Readonly<Record<string, ResourceValidators>>;
}

/**
 * Size limits for request bodies (DESIGN.md: bad input gets a clear 400, never a hang).
 *
 * @example
 * validateResource("User", body, { operation: "create", limits: { maxStringLength: 4096 } });
 */
export interface Limits {
  /** Longest string value accepted (characters). Default 65,536; binary values get 4× that. */
  readonly maxStringLength?: number;
  /** Most values a multi-valued attribute may hold. Default 50,000 (large groups' members). */
  readonly maxValues?: number;
  /** Most operations in one PATCH request. Default 1,000. */
  readonly maxOperations?: number;
}

/** Limits with every default filled in. */
export interface ResolvedLimits {
  readonly maxStringLength: number;
  readonly maxValues: number;
  readonly maxOperations: number;
}

export function resolveLimits(limits: Limits | undefined): ResolvedLimits {
  return {
    maxStringLength: limits?.maxStringLength ?? 65_536,
    maxValues: limits?.maxValues ?? 50_000,
    maxOperations: limits?.maxOperations ?? 1_000,
  };
}

/** One extension of a resource type, with its attributes by lower-cased name. */
export interface ExtensionContext {
  readonly schema: SchemaDefinition;
  readonly required: boolean;
  readonly attributes: ReadonlyMap<string, AttributeDefinition>;
}

/** Everything the validators and the PATCH engine need about one resource type, computed once. */
export interface TypeContext {
  readonly registry: SchemaRegistry;
  readonly type: ResourceTypeDefinition;
  readonly base: SchemaDefinition;
  /** Lower-cased name → `schemas`, the common attributes (RFC 7643 §3.1) and base-schema attributes. */
  readonly attributes: ReadonlyMap<string, AttributeDefinition>;
  /** Lower-cased URN → extension. */
  readonly extensions: ReadonlyMap<string, ExtensionContext>;
  readonly validators: ResourceValidators;
}

const registries = new WeakMap<ScimBundle, SchemaRegistry>();
/** Contexts per registry, then per validators record (the same bundle may come with other validators). */
const contexts = new WeakMap<SchemaRegistry, WeakMap<object, Map<string, TypeContext>>>();
const NO_VALIDATORS = {};
const subMaps = new WeakMap<AttributeDefinition, ReadonlyMap<string, AttributeDefinition>>();

function byLowerName(attributes: readonly AttributeDefinition[]): Map<string, AttributeDefinition> {
  return new Map(attributes.map((a) => [a.name.toLowerCase(), a] as const));
}

/** Sub-attributes of a complex attribute by lower-cased name (cached). */
export function subAttributesOf(attribute: AttributeDefinition): ReadonlyMap<string, AttributeDefinition> {
  let map = subMaps.get(attribute);
  if (!map) {
    map = byLowerName(attribute.subAttributes ?? []);
    subMaps.set(attribute, map);
  }
  return map;
}

/** The registry for a bundle (cached per bundle object). */
export function registryOf(options: SchemaOptions | undefined): SchemaRegistry {
  const bundle = options?.bundle ?? coreBundle();
  let registry = registries.get(bundle);
  if (!registry) {
    registry = new SchemaRegistry(bundle);
    registries.set(bundle, registry);
  }
  return registry;
}

/**
 * The context of a resource type (any case, or its endpoint). Throws a TypeError for an unknown
 * resource type or missing validators: those are programming errors, not bad requests.
 */
export function typeContext(resourceType: string, options: SchemaOptions | undefined): TypeContext {
  // Every request of a server asks with the same bundle and validators: answer a repeat from one slot.
  const bundle = options?.bundle;
  const validators = options?.validators;
  if (
    last !== undefined &&
    last.resourceType === resourceType &&
    last.bundle === bundle &&
    last.validators === validators
  )
    return last.context;
  const context = lookUpContext(resourceType, options);
  last = { resourceType, bundle, validators, context };
  return context;
}

/** The last context handed out, with what it was asked for. */
let last:
  | {
      readonly resourceType: string;
      readonly bundle: ScimBundle | undefined;
      readonly validators: object | undefined;
      readonly context: TypeContext;
    }
  | undefined;

function lookUpContext(resourceType: string, options: SchemaOptions | undefined): TypeContext {
  const registry = registryOf(options);
  const all =
    options?.validators ??
    (options?.bundle === undefined ? (coreValidators as Record<string, ResourceValidators>) : undefined);
  let perValidators = contexts.get(registry);
  if (!perValidators) {
    perValidators = new WeakMap();
    contexts.set(registry, perValidators);
  }
  let perType = perValidators.get(all ?? NO_VALIDATORS);
  if (!perType) {
    perType = new Map();
    perValidators.set(all ?? NO_VALIDATORS, perType);
  }
  const cached = perType.get(resourceType);
  if (cached) return cached;
  const type = registry.resourceType(resourceType);
  if (!type) {
    const known = registry.bundle.resourceTypes.map((t) => t.name).join(", ");
    throw new TypeError(`unknown resource type "${resourceType}" (this bundle has: ${known})`);
  }
  const validators = Object.hasOwn(all ?? {}, type.name) ? all?.[type.name] : undefined;
  if (!validators) {
    throw new TypeError(
      `no zod validators for resource type "${type.name}": generate them with \`scimkit generate --zod\` and pass { bundle, validators }`,
    );
  }
  const { base, extensions } = registry.schemasOf(type.name);
  const context: TypeContext = {
    registry,
    type,
    base,
    attributes: byLowerName([SCHEMAS_ATTRIBUTE, ...COMMON_ATTRIBUTES, ...base.attributes]),
    extensions: new Map(
      extensions.map(
        (e) =>
          [
            e.schema.id.toLowerCase(),
            { schema: e.schema, required: e.required, attributes: byLowerName(e.schema.attributes) },
          ] as const,
      ),
    ),
    validators,
  };
  perType.set(resourceType, context);
  return context;
}

/**
 * Which resource type a stored resource is: its `meta.resourceType`, else the resource type whose base
 * schema its `schemas` lists, else "User".
 */
export function inferResourceType(resource: object, registry: SchemaRegistry): string {
  const record = resource as Record<string, unknown>;
  const meta = record.meta as Record<string, unknown> | undefined;
  if (typeof meta?.resourceType === "string" && registry.resourceType(meta.resourceType))
    return meta.resourceType;
  if (Array.isArray(record.schemas)) {
    for (const urn of record.schemas) {
      if (typeof urn !== "string") continue;
      const match = registry.bundle.resourceTypes.find((t) => t.schema.toLowerCase() === urn.toLowerCase());
      if (match) return match.name;
    }
  }
  return registry.resourceType("User")?.name ?? (registry.bundle.resourceTypes[0]?.name as string);
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

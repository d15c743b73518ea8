import { COMMON_ATTRIBUTES, SCHEMAS_ATTRIBUTE } from "./core-bundle.js";
import type {
  AttributeDefinition,
  ResourceTypeDefinition,
  SchemaDefinition,
  ScimBundle,
} from "./schema-types.js";

/**
 * An attribute path resolved against a resource type: the definition it names, in schema case.
 *
 * @example
 * const r = registry.resolve("User", "EMAILS.VALUE")!;
 * r.path;            // "emails.value"
 * r.attribute.type;  // "string"
 * r.parent?.name;    // "emails"
 */
export interface ResolvedAttribute {
  /** Canonical path: schema-case names; extension attributes are prefixed with their schema URN and ":". */
  readonly path: string;
  /** The schema the attribute belongs to; `undefined` for the common attributes of RFC 7643 §3.1 and `schemas`. */
  readonly schemaId: string | undefined;
  /** True when the attribute lives under its extension's URN key in a resource (RFC 7643 §3.3). */
  readonly extension: boolean;
  /** The named attribute (the sub-attribute, for a two-part path). */
  readonly attribute: AttributeDefinition;
  /** The complex attribute a sub-attribute belongs to. */
  readonly parent: AttributeDefinition | undefined;
  /** The attribute names in schema case: `["name", "givenName"]`. */
  readonly names: readonly [string] | readonly [string, string];
}

/**
 * What a path that is exactly an extension's URN resolves to (e.g. PATCH `path` = the enterprise URN).
 *
 * @example
 * registry.resolveSchema("User", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:user")?.schema.name; // "EnterpriseUser"
 */
export interface ResolvedSchema {
  readonly schema: SchemaDefinition;
  readonly extension: boolean;
  readonly required: boolean;
}

/**
 * Options of {@link SchemaRegistry.resolve}.
 *
 * @example
 * registry.resolve("User", "manager", { strict: true }); // undefined: strict wants the URN
 */
export interface ResolveOptions {
  /**
   * Read RFC 7644 §3.10 literally: extension attributes resolve only with their schema URN and ":"
   * (`urn:…:enterprise:2.0:User:manager`). By default (false) an unqualified name that exactly one
   * extension of the resource type defines (and the base schema does not) resolves to it, and so does
   * `<extension URN>.<attribute>` (Microsoft Entra ID's spelling).
   */
  readonly strict?: boolean;
}

interface TypeIndex {
  readonly resourceType: ResourceTypeDefinition;
  readonly base: SchemaDefinition;
  readonly extensions: readonly ResolvedSchema[];
  /** Lower-cased path (every RFC 7644 §3.10 spelling) → resolution. */
  readonly paths: Map<string, ResolvedAttribute>;
  /** Lower-cased lenient spellings (unqualified or `urn….attr` extension paths) → resolution. */
  readonly lenient: Map<string, ResolvedAttribute>;
  /** Lower-cased unqualified path → canonical paths of every extension attribute it could name. */
  readonly candidates: Map<string, readonly string[]>;
  /** Lower-cased schema URN → schema of this resource type. */
  readonly schemas: Map<string, ResolvedSchema>;
  /** Every accepted path in schema case, unqualified first. */
  readonly spellings: readonly string[];
}

/**
 * Schemas and resource types with case-insensitive lookup of URNs, resource type names and attribute
 * paths (RFC 7643 §2.1: "Attribute names are case insensitive"; URNs compare case-insensitively too).
 * Resolution is a single map lookup: every path of a resource type is indexed when it is first used.
 *
 * @example
 * const registry = new SchemaRegistry(coreBundle());
 * registry.resolve("User", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value")?.attribute.type; // "string"
 */
export class SchemaRegistry {
  readonly bundle: ScimBundle;
  readonly #schemas = new Map<string, SchemaDefinition>();
  readonly #types = new Map<string, ResourceTypeDefinition>();
  readonly #index = new Map<string, TypeIndex>();

  /**
   * @throws Error when a resource type names a schema or extension the bundle does not contain, or
   *   two schemas (or two resource types) share an id (or name) case-insensitively.
   */
  constructor(bundle: ScimBundle) {
    this.bundle = bundle;
    for (const schema of bundle.schemas) {
      const key = schema.id.toLowerCase();
      if (this.#schemas.has(key))
        throw new Error(`schema "${schema.id}" is defined twice (schema URNs are case-insensitive)`);
      this.#schemas.set(key, schema);
    }
    for (const type of bundle.resourceTypes) {
      const key = type.name.toLowerCase();
      if (this.#types.has(key))
        throw new Error(`resource type "${type.name}" is defined twice (names are case-insensitive)`);
      for (const urn of [type.schema, ...type.schemaExtensions.map((e) => e.schema)]) {
        if (!this.#schemas.has(urn.toLowerCase())) {
          throw new Error(`resource type "${type.name}" uses schema "${urn}", which is not in the bundle`);
        }
      }
      this.#types.set(key, type);
    }
  }

  /** The schema with this URN (any case). @example registry.schema("URN:IETF:PARAMS:SCIM:SCHEMAS:CORE:2.0:USER")?.name; // "User" */
  schema(urn: string): SchemaDefinition | undefined {
    return this.#schemas.get(urn.toLowerCase());
  }

  /**
   * The resource type with this name (any case), or whose endpoint this is (`"/Users"`, `"Users"`).
   *
   * @example
   * registry.resourceType("users")?.name; // "User"
   */
  resourceType(nameOrEndpoint: string): ResourceTypeDefinition | undefined {
    const key = nameOrEndpoint.toLowerCase();
    const byName = this.#types.get(key);
    if (byName) return byName;
    const endpoint = key.startsWith("/") ? key : `/${key}`;
    for (const type of this.#types.values()) if (type.endpoint.toLowerCase() === endpoint) return type;
    return undefined;
  }

  /**
   * Resolves an attribute path (RFC 7644 §3.10: `attr`, `attr.sub`, or either prefixed with a schema
   * URN and ":") against a resource type. Names and URNs match in any case; `undefined` when the path
   * names nothing. An unqualified name is the base schema's (or a common) attribute when it has one;
   * otherwise, unless `strict`, the attribute of the one extension that defines it: §3.10 says clients
   * "SHOULD" qualify extension attributes, not MUST, and Entra ID sends `"path": "manager"`. A name
   * two extensions define is ambiguous and resolves to nothing (see {@link candidates}).
   *
   * @example
   * registry.resolve("User", "Name.GivenName")?.path; // "name.givenName"
   * registry.resolve("User", "manager.value")?.path; // "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value"
   * registry.resolve("User", "manager.value", { strict: true }); // undefined
   */
  resolve(resourceType: string, path: string, options?: ResolveOptions): ResolvedAttribute | undefined {
    const index = this.#indexOf(resourceType);
    const key = path.toLowerCase();
    const found = index.paths.get(key);
    if (found !== undefined || options?.strict === true) return found;
    return index.lenient.get(key);
  }

  /**
   * The canonical (URN-qualified) paths of the extension attributes an unqualified path could name:
   * none for a base-schema attribute or an unknown name, one when it resolves leniently, two or more
   * when it is ambiguous. For error messages that tell the client which URN to use.
   *
   * @example
   * registry.candidates("User", "employeeNumber"); // ["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber"]
   */
  candidates(resourceType: string, path: string): readonly string[] {
    return this.#indexOf(resourceType).candidates.get(path.toLowerCase()) ?? [];
  }

  /**
   * Resolves a path that is a schema URN of the resource type (its base schema or an extension).
   *
   * @example
   * registry.resolveSchema("User", ENTERPRISE_USER_SCHEMA)?.extension; // true
   */
  resolveSchema(resourceType: string, urn: string): ResolvedSchema | undefined {
    return this.#indexOf(resourceType).schemas.get(urn.toLowerCase());
  }

  /**
   * The base schema and extensions of a resource type.
   *
   * @example
   * registry.schemasOf("User").extensions.map((e) => e.schema.name); // ["EnterpriseUser"]
   */
  schemasOf(resourceType: string): { base: SchemaDefinition; extensions: readonly ResolvedSchema[] } {
    const index = this.#indexOf(resourceType);
    return { base: index.base, extensions: index.extensions };
  }

  /**
   * Every path a filter, PATCH path or `attributes` list may use for this resource type, in schema
   * case: common attributes, base-schema attributes and sub-attributes (bare and URN-qualified), and
   * extension attributes (URN-qualified). The lenient spellings `resolve` also accepts (unqualified
   * extension attributes, `urn….attr`) are not listed: they are conveniences, not canonical paths.
   *
   * @example
   * registry.paths("Group").includes("members.value"); // true
   */
  paths(resourceType: string): readonly string[] {
    return this.#indexOf(resourceType).spellings;
  }

  #indexOf(resourceType: string): TypeIndex {
    const type = this.resourceType(resourceType);
    if (!type) {
      const known = [...this.#types.values()].map((t) => t.name).join(", ");
      throw new Error(`unknown resource type "${resourceType}" (known: ${known || "none"})`);
    }
    const cached = this.#index.get(type.name);
    if (cached) return cached;
    const index = buildIndex(type, (urn) => this.#schemas.get(urn.toLowerCase()) as SchemaDefinition);
    this.#index.set(type.name, index);
    return index;
  }
}

function buildIndex(
  resourceType: ResourceTypeDefinition,
  schemaOf: (urn: string) => SchemaDefinition,
): TypeIndex {
  const base = schemaOf(resourceType.schema);
  const extensions = resourceType.schemaExtensions.map((e) => ({
    schema: schemaOf(e.schema),
    extension: true,
    required: e.required,
  }));
  const paths = new Map<string, ResolvedAttribute>();
  const bare: string[] = [];
  const qualified: string[] = [];
  const schemas = new Map<string, ResolvedSchema>();
  schemas.set(base.id.toLowerCase(), { schema: base, extension: false, required: true });
  for (const ext of extensions) schemas.set(ext.schema.id.toLowerCase(), ext);

  const add = (prefix: string, spelling: string, resolved: ResolvedAttribute) => {
    const key = (prefix + spelling).toLowerCase();
    if (paths.has(key)) return;
    paths.set(key, resolved);
    (prefix === "" ? bare : qualified).push(prefix + spelling);
  };
  const addAttributes = (
    attributes: readonly AttributeDefinition[],
    schemaId: string | undefined,
    extension: boolean,
    prefixes: readonly string[],
  ) => {
    for (const attribute of attributes) {
      const canonical = extension ? `${schemaId}:${attribute.name}` : attribute.name;
      const top: ResolvedAttribute = {
        path: canonical,
        schemaId,
        extension,
        attribute,
        parent: undefined,
        names: [attribute.name],
      };
      for (const prefix of prefixes) add(prefix, attribute.name, top);
      for (const sub of attribute.subAttributes ?? []) {
        const resolved: ResolvedAttribute = {
          path: `${canonical}.${sub.name}`,
          schemaId,
          extension,
          attribute: sub,
          parent: attribute,
          names: [attribute.name, sub.name],
        };
        for (const prefix of prefixes) add(prefix, `${attribute.name}.${sub.name}`, resolved);
      }
    }
  };
  const baseQualified = `${base.id}:`;
  addAttributes([SCHEMAS_ATTRIBUTE, ...COMMON_ATTRIBUTES], undefined, false, ["", baseQualified]);
  addAttributes(base.attributes, base.id, false, ["", baseQualified]);
  for (const ext of extensions)
    addAttributes(ext.schema.attributes, ext.schema.id, true, [`${ext.schema.id}:`]);
  const { lenient, candidates } = lenientIndex(extensions, paths);
  // Unqualified spellings first, so consumers listing paths see the familiar forms before URN forms.
  return {
    resourceType,
    base,
    extensions,
    paths,
    lenient,
    candidates,
    schemas,
    spellings: [...bare, ...qualified],
  };
}

/**
 * Lenient spellings of extension attributes: unqualified (`manager`, `manager.value`) when no base or
 * common attribute has the name and exactly one extension does, and `<URN>.<attribute>` (Entra ID's
 * `urn:…:enterprise:2.0:User.manager`). Names two extensions share are recorded as ambiguous instead.
 */
function lenientIndex(
  extensions: readonly ResolvedSchema[],
  paths: ReadonlyMap<string, ResolvedAttribute>,
): { lenient: Map<string, ResolvedAttribute>; candidates: Map<string, readonly string[]> } {
  const byBare = new Map<string, ResolvedAttribute[]>();
  const lenient = new Map<string, ResolvedAttribute>();
  for (const ext of extensions) {
    const prefix = `${ext.schema.id.toLowerCase()}:`;
    for (const [key, resolved] of paths) {
      if (!key.startsWith(prefix)) continue;
      const rest = key.slice(prefix.length);
      // A name with ":" after the URN would be another URN's path, never a bare attribute name.
      if (rest.includes(":")) continue;
      lenient.set(`${ext.schema.id.toLowerCase()}.${rest}`, resolved);
      if (paths.has(rest)) continue;
      const list = byBare.get(rest);
      if (list) list.push(resolved);
      else byBare.set(rest, [resolved]);
    }
  }
  const candidates = new Map<string, readonly string[]>();
  for (const [bare, list] of byBare) {
    candidates.set(
      bare,
      list.map((r) => r.path),
    );
    if (list.length === 1) lenient.set(bare, list[0] as ResolvedAttribute);
  }
  return { lenient, candidates };
}

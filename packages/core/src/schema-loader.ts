import { parseJsonText } from "./json-text.js";
import {
  ATTRIBUTE_TYPES,
  type AttributeDefinition,
  type AttributeType,
  MUTABILITIES,
  type Mutability,
  RETURNED_VALUES,
  type ResourceTypeDefinition,
  type Returned,
  type SchemaDefinition,
  type SchemaExtension,
  UNIQUENESS_VALUES,
  type Uniqueness,
} from "./schema-types.js";

/**
 * A schema or resource-type file that cannot be used: names the file, the JSON pointer (RFC 6901) of
 * the fault and, for JSON syntax errors, the line and column.
 *
 * @example
 * try { parseSchemaDocument(text, "acme.json") } catch (e) {
 *   if (e instanceof SchemaLoadError) console.error(e.message); // acme.json: /attributes/2/type: unknown attribute type "strng" ...
 * }
 */
export class SchemaLoadError extends Error {
  override name = "SchemaLoadError" as const;
  readonly file: string;
  /** RFC 6901 JSON pointer of the fault ("" for the whole document). */
  readonly pointer: string;
  readonly line?: number;
  readonly column?: number;
  readonly problem: string;

  constructor(options: {
    file: string;
    pointer: string;
    problem: string;
    line?: number;
    column?: number;
    cause?: unknown;
  }) {
    const where =
      options.line !== undefined
        ? `${options.file}:${options.line}:${options.column ?? 1}`
        : `${options.file}: ${options.pointer === "" ? "(document)" : options.pointer}`;
    super(`${where}: ${options.problem}`, options.cause === undefined ? undefined : { cause: options.cause });
    this.file = options.file;
    this.pointer = options.pointer;
    this.problem = options.problem;
    if (options.line !== undefined) this.line = options.line;
    if (options.column !== undefined) this.column = options.column;
  }
}

/**
 * A definition with where it came from, for error messages that point into the source file.
 *
 * @example
 * const { definition, file, pointer } = loaded.schemas[0];
 */
export interface Located<T> {
  readonly definition: T;
  readonly file: string;
  /** JSON pointer of the definition inside its file. */
  readonly pointer: string;
}

/**
 * The schemas and resource types read from one or more documents.
 *
 * @example
 * const doc: LoadedDocuments = parseSchemaDocument(text, "user.schema.json");
 */
export interface LoadedDocuments {
  readonly schemas: Located<SchemaDefinition>[];
  readonly resourceTypes: Located<ResourceTypeDefinition>[];
}

/** RFC 7643 §2.1 ATTRNAME = ALPHA *(nameChar); `$ref` is the sanctioned exception (§2.4, schemas/README.md). */
/** Nesting bound for complex attributes: deep enough for RFC 7643 §8.7.2, shallow enough to stay safe. */
const MAX_COMPLEX_DEPTH = 4;

const ATTRNAME = /^(?:[A-Za-z][A-Za-z0-9_-]*|\$ref)$/;

function escapePointer(token: string | number): string {
  return String(token).replace(/~/g, "~0").replace(/\//g, "~1");
}

class Ctx {
  constructor(readonly file: string) {}
  fail(pointer: string, problem: string): never {
    throw new SchemaLoadError({ file: this.file, pointer, problem });
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function typeName(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  return typeof v === "object" ? "an object" : `${typeof v} ${JSON.stringify(v)}`;
}

function optString(ctx: Ctx, obj: Record<string, unknown>, key: string, at: string): string | undefined {
  const v = obj[key];
  if (v === undefined) return undefined;
  if (typeof v !== "string")
    ctx.fail(`${at}/${escapePointer(key)}`, `"${key}" must be a string, got ${typeName(v)}`);
  return v;
}

function reqString(ctx: Ctx, obj: Record<string, unknown>, key: string, at: string, what: string): string {
  const v = optString(ctx, obj, key, at);
  if (v === undefined || v.trim() === "") ctx.fail(at, `${what} is missing "${key}" (a non-empty string)`);
  return v;
}

function optBoolean(
  ctx: Ctx,
  obj: Record<string, unknown>,
  key: string,
  at: string,
  fallback: boolean,
): boolean {
  const v = obj[key];
  if (v === undefined) return fallback;
  if (typeof v !== "boolean")
    ctx.fail(`${at}/${escapePointer(key)}`, `"${key}" must be true or false, got ${typeName(v)}`);
  return v;
}

function optEnum<T extends string>(
  ctx: Ctx,
  obj: Record<string, unknown>,
  key: string,
  at: string,
  allowed: readonly T[],
  fallback: T,
  label: string,
): T {
  const v = obj[key];
  if (v === undefined) return fallback;
  if (typeof v !== "string")
    ctx.fail(`${at}/${escapePointer(key)}`, `"${key}" must be a string, got ${typeName(v)}`);
  // RFC 7643 §2.1: keywords are case-insensitive; normalize to the RFC's spelling.
  const found = allowed.find((a) => a.toLowerCase() === v.toLowerCase());
  if (found === undefined) {
    ctx.fail(
      `${at}/${escapePointer(key)}`,
      `unknown ${label} ${JSON.stringify(v)} (expected one of ${allowed.join(", ")})`,
    );
  }
  return found;
}

function optStringList(
  ctx: Ctx,
  obj: Record<string, unknown>,
  key: string,
  at: string,
): string[] | undefined {
  const v = obj[key];
  if (v === undefined) return undefined;
  if (!Array.isArray(v))
    ctx.fail(`${at}/${escapePointer(key)}`, `"${key}" must be an array of strings, got ${typeName(v)}`);
  return v.map((item, i) => {
    if (typeof item !== "string")
      ctx.fail(`${at}/${escapePointer(key)}/${i}`, `"${key}" entries must be strings, got ${typeName(item)}`);
    return item;
  });
}

function parseAttributes(
  ctx: Ctx,
  value: unknown,
  at: string,
  depth: number,
  owner: string,
): AttributeDefinition[] {
  if (!Array.isArray(value))
    ctx.fail(at, `${owner} must be an array of attribute definitions, got ${typeName(value)}`);
  const seen = new Map<string, string>();
  return value.map((raw, i) => {
    const p = `${at}/${i}`;
    const attr = parseAttribute(ctx, raw, p, depth);
    const key = attr.name.toLowerCase();
    const previous = seen.get(key);
    if (previous !== undefined) {
      // RFC 7643 §2.1: attribute names are case-insensitive, so these two would be the same attribute.
      ctx.fail(
        `${p}/name`,
        previous === attr.name
          ? `attribute "${attr.name}" is defined twice`
          : `attribute names "${previous}" and "${attr.name}" differ only in case; SCIM names are case-insensitive (RFC 7643 §2.1)`,
      );
    }
    seen.set(key, attr.name);
    return attr;
  });
}

function parseAttribute(ctx: Ctx, raw: unknown, at: string, depth: number): AttributeDefinition {
  if (!isRecord(raw)) ctx.fail(at, `an attribute definition must be an object, got ${typeName(raw)}`);
  const name = reqString(ctx, raw, "name", at, "attribute definition");
  if (!ATTRNAME.test(name)) {
    ctx.fail(
      `${at}/name`,
      `invalid attribute name ${JSON.stringify(name)}: it must start with a letter and contain only letters, digits, "-" and "_" (RFC 7643 §2.1)`,
    );
  }
  // RFC 7643 §2.2: a missing type defaults to "string".
  const type: AttributeType = optEnum(ctx, raw, "type", at, ATTRIBUTE_TYPES, "string", "attribute type");
  const multiValued = optBoolean(ctx, raw, "multiValued", at, false);
  const required = optBoolean(ctx, raw, "required", at, false);
  const caseExact = optBoolean(ctx, raw, "caseExact", at, false);
  const mutability: Mutability = optEnum(ctx, raw, "mutability", at, MUTABILITIES, "readWrite", "mutability");
  const returned: Returned = optEnum(ctx, raw, "returned", at, RETURNED_VALUES, "default", "returned value");
  const uniqueness: Uniqueness = optEnum(ctx, raw, "uniqueness", at, UNIQUENESS_VALUES, "none", "uniqueness");
  const description = optString(ctx, raw, "description", at);
  const canonicalValues = optStringList(ctx, raw, "canonicalValues", at);
  const referenceTypes = optStringList(ctx, raw, "referenceTypes", at);

  let subAttributes: AttributeDefinition[] | undefined;
  if (type === "complex") {
    // RFC 7643 §2.3.8 forbids complex sub-attributes, yet the RFC's own Schema schema (§8.7.2) nests
    // "subAttributes" inside "attributes"; we accept nesting (bounded) so that schema loads as printed.
    if (depth >= MAX_COMPLEX_DEPTH) {
      ctx.fail(
        `${at}/type`,
        `complex attribute "${name}" is nested ${depth + 1} levels deep; at most ${MAX_COMPLEX_DEPTH} levels are supported`,
      );
    }
    if (raw.subAttributes === undefined) ctx.fail(at, `complex attribute "${name}" has no "subAttributes"`);
    subAttributes = parseAttributes(
      ctx,
      raw.subAttributes,
      `${at}/subAttributes`,
      depth + 1,
      `"subAttributes" of "${name}"`,
    );
  } else if (
    raw.subAttributes !== undefined &&
    !(Array.isArray(raw.subAttributes) && raw.subAttributes.length === 0)
  ) {
    ctx.fail(
      `${at}/subAttributes`,
      `attribute "${name}" has type "${type}", so it cannot have sub-attributes (only "complex" can)`,
    );
  }
  if (referenceTypes !== undefined && type !== "reference" && referenceTypes.length > 0) {
    ctx.fail(
      `${at}/referenceTypes`,
      `attribute "${name}" has type "${type}", so "referenceTypes" does not apply (only "reference")`,
    );
  }

  return {
    name,
    type,
    multiValued,
    ...(description !== undefined && { description }),
    required,
    ...(canonicalValues !== undefined && canonicalValues.length > 0 && { canonicalValues }),
    caseExact,
    mutability,
    returned,
    uniqueness,
    ...(type === "reference" && referenceTypes !== undefined && { referenceTypes }),
    ...(subAttributes !== undefined && { subAttributes }),
  };
}

/**
 * Validates one SCIM schema object (RFC 7643 §7) and fills in the §2.2 defaults.
 *
 * @example
 * const schema = parseSchemaDefinition(JSON.parse(text), { file: "acme.json" });
 */
export function parseSchemaDefinition(
  raw: unknown,
  where: { file: string; pointer?: string },
): SchemaDefinition {
  const ctx: Ctx = new Ctx(where.file);
  const at = where.pointer ?? "";
  if (!isRecord(raw)) ctx.fail(at, `a schema must be an object, got ${typeName(raw)}`);
  const id = reqString(ctx, raw, "id", at, "schema");
  if (!/^[A-Za-z][A-Za-z0-9+.-]*:\S+$/.test(id)) {
    ctx.fail(
      `${at}/id`,
      `schema id ${JSON.stringify(id)} is not a URI; SCIM schema ids are URNs such as "urn:acme:params:scim:schemas:extension:2.0:User" (RFC 7643 §7)`,
    );
  }
  // RFC 7643 §7: "name" is optional; fall back to the last URN segment.
  const name = optString(ctx, raw, "name", at) ?? id.slice(id.lastIndexOf(":") + 1);
  if (name.trim() === "") ctx.fail(`${at}/name`, `schema "${id}" has an empty "name"`);
  const description = optString(ctx, raw, "description", at);
  if (raw.attributes === undefined) ctx.fail(at, `schema "${id}" is missing "attributes"`);
  const attributes = parseAttributes(
    ctx,
    raw.attributes,
    `${at}/attributes`,
    0,
    `"attributes" of schema "${id}"`,
  );
  return { id, name, ...(description !== undefined && { description }), attributes };
}

/**
 * Validates one SCIM resource type object (RFC 7643 §6).
 *
 * @example
 * const users = parseResourceTypeDefinition(JSON.parse(text), { file: "user.resource-type.json" });
 */
export function parseResourceTypeDefinition(
  raw: unknown,
  where: { file: string; pointer?: string },
): ResourceTypeDefinition {
  const ctx: Ctx = new Ctx(where.file);
  const at = where.pointer ?? "";
  if (!isRecord(raw)) ctx.fail(at, `a resource type must be an object, got ${typeName(raw)}`);
  const name = reqString(ctx, raw, "name", at, "resource type");
  const endpoint = reqString(ctx, raw, "endpoint", at, `resource type "${name}"`);
  if (!endpoint.startsWith("/"))
    ctx.fail(
      `${at}/endpoint`,
      `endpoint ${JSON.stringify(endpoint)} must start with "/" (RFC 7643 §6), e.g. "/Users"`,
    );
  const schema = reqString(ctx, raw, "schema", at, `resource type "${name}"`);
  const id = optString(ctx, raw, "id", at);
  const description = optString(ctx, raw, "description", at);
  const extensionsRaw = raw.schemaExtensions ?? [];
  if (!Array.isArray(extensionsRaw))
    ctx.fail(`${at}/schemaExtensions`, `"schemaExtensions" must be an array, got ${typeName(extensionsRaw)}`);
  const seen = new Set<string>([schema.toLowerCase()]);
  const schemaExtensions: SchemaExtension[] = extensionsRaw.map((ext, i) => {
    const p = `${at}/schemaExtensions/${i}`;
    if (!isRecord(ext))
      ctx.fail(
        p,
        `a schema extension must be an object like {"schema": "urn:…", "required": false}, got ${typeName(ext)}`,
      );
    const urn = reqString(ctx, ext, "schema", p, "schema extension");
    if (seen.has(urn.toLowerCase()))
      ctx.fail(`${p}/schema`, `schema "${urn}" is listed twice in resource type "${name}"`);
    seen.add(urn.toLowerCase());
    return { schema: urn, required: optBoolean(ctx, ext, "required", p, false) };
  });
  return {
    ...(id !== undefined && { id }),
    name,
    endpoint,
    ...(description !== undefined && { description }),
    schema,
    schemaExtensions,
  };
}

/**
 * Reads one JSON document of schema definitions: a schema (RFC 7643 §7), a resource type (§6), an
 * array of them, or a ListResponse whose `Resources` hold them (what `GET /Schemas` returns). A
 * `{"commonAttributes": [...]}` document (RFC 7643 §3.1) is validated and otherwise skipped: the
 * common attributes are fixed by the RFC and built in.
 * Failures throw {@link SchemaLoadError} naming `file` and the JSON pointer, or line and column.
 *
 * @example
 * const { schemas, resourceTypes } = parseSchemaDocument(readFileSync(file, "utf8"), file);
 */
export function parseSchemaDocument(text: string, file: string): LoadedDocuments {
  const parsed = parseJsonText(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  if (!parsed.ok) {
    const { line, column, message } = parsed.fault;
    throw new SchemaLoadError({ file, pointer: "", line, column, problem: `invalid JSON: ${message}` });
  }
  const out: LoadedDocuments = { schemas: [], resourceTypes: [] };
  addDefinitions(out, parsed.value, file, "");
  return out;
}

/**
 * Adds every definition found in an already-parsed JSON value to `out` (see {@link parseSchemaDocument}).
 *
 * @example
 * const out = { schemas: [], resourceTypes: [] };
 * addDefinitions(out, await (await fetch(url + "/Schemas")).json(), url + "/Schemas", "");
 */
export function addDefinitions(out: LoadedDocuments, value: unknown, file: string, pointer: string): void {
  addAt(out, value, new Ctx(file), pointer, 0);
}

/** Arrays and ListResponses nest at most this deep, so hostile input cannot exhaust the stack. */
const MAX_CONTAINER_DEPTH = 4;

function addAt(out: LoadedDocuments, value: unknown, ctx: Ctx, pointer: string, depth: number): void {
  const file = ctx.file;
  const container = depth < MAX_CONTAINER_DEPTH;
  if (Array.isArray(value) && !container)
    ctx.fail(pointer, `arrays and ListResponses nest more than ${MAX_CONTAINER_DEPTH} levels deep here`);
  if (Array.isArray(value)) {
    value.forEach((item, i) => {
      addAt(out, item, ctx, `${pointer}/${i}`, depth + 1);
    });
    return;
  }
  if (!isRecord(value))
    ctx.fail(
      pointer,
      `expected a schema, a resource type, an array of them or a ListResponse, got ${typeName(value)}`,
    );
  if (Array.isArray(value.Resources) && container) {
    value.Resources.forEach((item, i) => {
      addAt(out, item, ctx, `${pointer}/Resources/${i}`, depth + 1);
    });
    return;
  }
  if ("commonAttributes" in value && !("id" in value)) {
    // schemas/core/common-attributes.json: RFC 7643 §3.1 fixes these, so they are checked, not redefined.
    parseAttributes(ctx, value.commonAttributes, `${pointer}/commonAttributes`, 0, '"commonAttributes"');
    return;
  }
  if ("endpoint" in value || ("schema" in value && !("attributes" in value))) {
    out.resourceTypes.push({
      definition: parseResourceTypeDefinition(value, { file, pointer }),
      file,
      pointer,
    });
    return;
  }
  if ("attributes" in value || "id" in value) {
    out.schemas.push({ definition: parseSchemaDefinition(value, { file, pointer }), file, pointer });
    return;
  }
  ctx.fail(
    pointer,
    'this object is neither a schema (it needs "id" and "attributes", RFC 7643 §7) nor a resource type (it needs "name", "endpoint" and "schema", RFC 7643 §6)',
  );
}

/**
 * Validates a list of attribute definitions on their own (the common attributes of RFC 7643 §3.1
 * are stored this way in `schemas/core/common-attributes.json`).
 *
 * @example
 * const attrs = parseAttributeList(raw.attributes, { file: "common-attributes.json", pointer: "/attributes" });
 */
export function parseAttributeList(
  raw: unknown,
  where: { file: string; pointer: string },
): AttributeDefinition[] {
  return parseAttributes(new Ctx(where.file), raw, where.pointer, 0, "attribute list");
}

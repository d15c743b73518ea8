/**
 * The target's User resource type (RFC 7643 §6, §7 from its /ResourceTypes and /Schemas) as the
 * sources need it: CSV header paths resolved to schema case with a converter per column, and JSON
 * bodies checked and respelt. Attribute names and URNs are case-insensitive (RFC 7643 §2.1).
 */
import type { AttributeDefinition, ResourceTypeDefinition, SchemaDefinition } from "@scimkit/core";
import { parseFilter } from "@scimkit/filter";
import type { Assignment, JsonObject, ResolvedPath, UserSchemaInfo } from "../types.js";
import { convertCell } from "./convert.js";
import { closest } from "./suggest.js";

export const CORE_USER = "urn:ietf:params:scim:schemas:core:2.0:User";

/** One schema's attributes by lower-cased name. */
interface SchemaTable {
  readonly urn: string;
  readonly byName: ReadonlyMap<string, AttributeDefinition>;
}

const table = (schema: SchemaDefinition): SchemaTable => ({
  urn: schema.id,
  byName: new Map(schema.attributes.map((a) => [a.name.toLowerCase(), a])),
});

/** RFC 7643 §3.1: `externalId` is a common attribute of every resource, not listed in the User schema. */
const EXTERNAL_ID: AttributeDefinition = {
  name: "externalId",
  type: "string",
  multiValued: false,
  required: false,
  caseExact: true,
  mutability: "readWrite",
  returned: "default",
  uniqueness: "none",
};

const subOf = (attribute: AttributeDefinition, name: string) =>
  attribute.subAttributes?.find((s) => s.name.toLowerCase() === name.toLowerCase());

// attr, attr.sub, attr[filter].sub (RFC 7644 §3.10 attribute notation plus a §3.4.2.2 value filter).
const PATH = /^([A-Za-z][\w$-]*)(?:\[(.+)\])?(?:\.([A-Za-z][\w$-]*))?$/s;

/** Mutability values a source may not write: the server owns them (RFC 7643 §7). */
const readOnly = (a: AttributeDefinition) => a.mutability === "readOnly";

/**
 * The User resource type of one target.
 *
 * @example const schema = UserSchema.from(await client.schemas(), await client.resourceTypes());
 */
export class UserSchema implements UserSchemaInfo {
  private constructor(
    readonly core: SchemaTable,
    readonly extensions: readonly SchemaTable[],
  ) {}

  /** Builds it from discovery documents; without a User resource type, the core User schema's URN is used. */
  static from(
    schemas: readonly SchemaDefinition[],
    resourceTypes: readonly ResourceTypeDefinition[],
  ): UserSchema {
    const userType = resourceTypes.find((t) => t.name === "User") ?? {
      schema: CORE_USER,
      schemaExtensions: schemas
        .filter((s) => s.id.toLowerCase().includes(":extension:") && /:user$/i.test(s.id))
        .map((s) => ({ schema: s.id, required: false })),
    };
    const find = (urn: string) => schemas.find((s) => s.id.toLowerCase() === urn.toLowerCase());
    const core = find(userType.schema);
    if (core === undefined)
      throw new Error(
        `the target's /Schemas has no ${userType.schema}, the schema of its User resource type`,
      );
    const extensions = userType.schemaExtensions
      .map((e) => find(e.schema))
      .filter((s): s is SchemaDefinition => s !== undefined)
      .map(table);
    const coreTable = table(core);
    if (!coreTable.byName.has("externalid"))
      (coreTable.byName as Map<string, AttributeDefinition>).set("externalid", EXTERNAL_ID);
    return new UserSchema(coreTable, extensions);
  }

  /** Whether values of the key attribute compare case-sensitively (`caseExact`, RFC 7643 §7). */
  caseExact(attribute: string): boolean {
    return this.core.byName.get(attribute.toLowerCase())?.caseExact ?? false;
  }

  /** The attribute definition of a top-level core attribute or an extension attribute (`urn:…:department`). */
  attribute(urn: string | undefined, name: string): AttributeDefinition | undefined {
    const schema = urn === undefined ? this.core : this.extension(urn);
    return schema?.byName.get(name.toLowerCase());
  }

  extension(urn: string): SchemaTable | undefined {
    const u = urn.toLowerCase();
    return this.extensions.find((e) => e.urn.toLowerCase() === u);
  }

  /** Every path a CSV header may name, for suggestions: `userName`, `name.givenName`, `urn:…:department`. */
  paths(): string[] {
    const out: string[] = ["groups"];
    const add = (prefix: string, a: AttributeDefinition) => {
      if (readOnly(a)) return;
      if (a.type !== "complex") out.push(`${prefix}${a.name}`);
      else if (a.multiValued) out.push(`${prefix}${a.name}[type eq "work"].value`);
      else for (const s of a.subAttributes ?? []) if (!readOnly(s)) out.push(`${prefix}${a.name}.${s.name}`);
    };
    for (const a of this.core.byName.values()) add("", a);
    for (const e of this.extensions) for (const a of e.byName.values()) add(`${e.urn}:`, a);
    return out;
  }

  /** Top-level attributes (or `urn:…:name`) that are never returned (`password`): set on create, never diffed. */
  neverReturned(): { urn: string | undefined; name: string }[] {
    const out: { urn: string | undefined; name: string }[] = [];
    for (const a of this.core.byName.values())
      if (a.returned === "never") out.push({ urn: undefined, name: a.name });
    for (const e of this.extensions)
      for (const a of e.byName.values()) if (a.returned === "never") out.push({ urn: e.urn, name: a.name });
    return out;
  }

  private unknown(path: string, why: string): { error: string } {
    const near = closest(path, this.paths());
    return { error: `${why}${near === undefined ? "" : `; did you mean "${near}"?`}` };
  }

  /** Resolves a CSV header path. See README "Mapping rules". */
  resolve(raw: string): ResolvedPath | { error: string } {
    const path = raw.trim();
    let urn: string | undefined;
    let rest = path;
    if (path.toLowerCase().startsWith("urn:")) {
      const all = [this.core, ...this.extensions];
      const schema = all
        .filter((s) => path.toLowerCase().startsWith(`${s.urn.toLowerCase()}:`))
        .sort((a, b) => b.urn.length - a.urn.length)[0];
      if (schema === undefined)
        return this.unknown(path, `"${path}" is not in a schema of the target's User resource type`);
      rest = path.slice(schema.urn.length + 1);
      urn = schema === this.core ? undefined : schema.urn;
    }
    const m = PATH.exec(rest);
    if (m === null) return this.unknown(path, `"${path}" is not an attribute path`);
    const [, name = "", filterText, subName] = m;
    const attribute = this.attribute(urn, name);
    if (attribute === undefined) return this.unknown(path, `the target's User has no attribute "${path}"`);
    if (readOnly(attribute))
      return { error: `"${attribute.name}" is readOnly: the target sets it (RFC 7643 §7)` };
    const prefix = urn === undefined ? "" : `${urn}:`;
    if (attribute.type !== "complex") {
      if (filterText !== undefined || subName !== undefined)
        return { error: `"${attribute.name}" is not complex: it has no sub-attributes or value filter` };
      const canonical = `${prefix}${attribute.name}`;
      if (attribute.multiValued)
        // A multi-valued simple attribute: values separated by ";" like groups.
        return {
          canonical,
          assign: (cell) =>
            assignment(
              urn,
              attribute.name,
              cell === "" ? undefined : cell.split(";").map((v) => convertCell(v.trim(), attribute)),
            ),
        };
      return {
        canonical,
        assign: (cell) =>
          assignment(urn, attribute.name, cell === "" ? undefined : convertCell(cell, attribute)),
      };
    }
    if (subName === undefined)
      return this.unknown(path, `"${attribute.name}" is complex: name a sub-attribute`);
    const sub = subOf(attribute, subName);
    if (sub === undefined) return this.unknown(path, `"${attribute.name}" has no sub-attribute "${subName}"`);
    if (readOnly(sub))
      return { error: `"${attribute.name}.${sub.name}" is readOnly: the target sets it (RFC 7643 §7)` };
    let where: Record<string, string> | undefined;
    if (attribute.multiValued) {
      if (filterText === undefined)
        return {
          error: `"${attribute.name}" is multi-valued: select one element with a filter, e.g. ${attribute.name}[type eq "work"].${sub.name}`,
        };
      const selection = this.selection(attribute, filterText);
      if ("error" in selection) return selection;
      where = selection.where;
    } else if (filterText !== undefined)
      return {
        error: `"${attribute.name}" is single-valued: a value filter selects elements of multi-valued attributes only`,
      };
    const filterPart =
      where === undefined
        ? ""
        : `[${Object.entries(where)
            .map(([k, v]) => `${k} eq ${JSON.stringify(v)}`)
            .join(" and ")}]`;
    const canonical = `${prefix}${attribute.name}${filterPart}.${sub.name}`;
    return {
      canonical,
      assign: (cell): Assignment => {
        const a = assignment(urn, attribute.name, cell === "" ? undefined : convertCell(cell, sub));
        a.sub = sub.name;
        if (where !== undefined) a.where = where;
        return a;
      },
    };
  }

  /** A value filter of `eq` comparisons on string sub-attributes, joined by `and`: it names one element. */
  private selection(
    attribute: AttributeDefinition,
    text: string,
  ): { where: Record<string, string> } | { error: string } {
    let filter: ReturnType<typeof parseFilter>;
    try {
      filter = parseFilter(text);
    } catch (e) {
      return { error: `the filter [${text}] is invalid: ${e instanceof Error ? e.message : String(e)}` };
    }
    const where: Record<string, string> = {};
    const walk = (f: ReturnType<typeof parseFilter>): string | undefined => {
      if (f.op === "and") {
        for (const part of f.filters) {
          const problem = walk(part);
          if (problem !== undefined) return problem;
        }
        return undefined;
      }
      if (
        f.op !== "eq" ||
        typeof f.value !== "string" ||
        f.path.uri !== undefined ||
        f.path.subAttribute !== undefined
      )
        return `the filter [${text}] must be sub-attribute eq "string" comparisons joined by and, e.g. [type eq "work"]`;
      const sub = subOf(attribute, f.path.attribute);
      if (sub === undefined)
        return `"${attribute.name}" has no sub-attribute "${f.path.attribute}" (in [${text}])`;
      where[sub.name] = f.value;
      return undefined;
    };
    const problem = walk(filter);
    return problem === undefined ? { where } : { error: problem };
  }

  /**
   * A JSON User body as assignments of its top-level attributes (extension objects per attribute),
   * names respelt in schema case; throws an Error naming an unknown attribute and the closest one.
   */
  bodyAssignments(body: JsonObject): Assignment[] {
    const out: Assignment[] = [];
    for (const [key, value] of Object.entries(body)) {
      const lower = key.toLowerCase();
      if (lower === "schemas" || lower === "id" || lower === "meta" || lower === "groups") continue;
      const extension = lower.startsWith("urn:") ? this.extension(key) : undefined;
      if (extension !== undefined) {
        if (value === null || value === undefined) continue;
        if (typeof value !== "object" || Array.isArray(value))
          throw new Error(`"${key}" must be an object of the extension's attributes`);
        for (const [name, v] of Object.entries(value as JsonObject)) {
          const a = extension.byName.get(name.toLowerCase());
          if (a === undefined)
            throw new Error(
              this.unknown(`${key}:${name}`, `the target's User has no attribute "${key}:${name}"`).error,
            );
          if (!readOnly(a)) out.push({ urn: extension.urn, attribute: a.name, value: v ?? undefined });
        }
        continue;
      }
      const a = this.core.byName.get(lower);
      if (a === undefined)
        throw new Error(this.unknown(key, `the target's User has no attribute "${key}"`).error);
      if (!readOnly(a)) out.push({ attribute: a.name, value: value ?? undefined });
    }
    return out;
  }
}

/**
 * One cell's assignment, built property by property: object spread here (`...(urn === undefined ? {} :
 * { urn })`) ran once per cell and made the young generation promote garbage (see ../copy.ts).
 */
function assignment(urn: string | undefined, attribute: string, value: unknown): Assignment {
  const a: Assignment = { attribute, value };
  if (urn !== undefined) a.urn = urn;
  return a;
}

/**
 * PATCH operations as they go on the wire, and the rule that a multi-valued attribute's value is
 * always a list. A leaf module: the client, the builder, `diff` and the local PATCH engine import it.
 */
import { GROUP_SCHEMA, type ScimBundle, USER_SCHEMA } from "@scimkit/core";
import { isObject } from "./json.js";

/** One PATCH operation (RFC 7644 §3.5.2); without a path, the value is a partial resource. */
export type PatchOperation<P = Record<string, unknown>> =
  | { op: "add" | "replace"; path: string; value: unknown }
  | { op: "add" | "replace"; path?: undefined; value: P }
  | { op: "remove"; path: string; value?: unknown };

/**
 * The multi-valued attributes of one resource type (or of several), as lower-case keys: the name
 * for the base schema's attributes, and `schema-urn:name` for every schema's.
 */
export type MultiValued = ReadonlySet<string>;

/**
 * Multi-valued attributes of the RFC 7643 core resource types: User (§4.1) and Group (§4.2); the
 * EnterpriseUser extension (§4.3) has none, and `schemas` (§3) is on every resource. A test checks
 * this table against `coreBundle()` of @scimkit/core (schemas/core), so it cannot drift; it is
 * written out because the schema data would cost the up-front bundle several kB.
 */
const CORE: Readonly<Record<string, readonly [schema: string, names: string]>> = {
  user: [USER_SCHEMA, "emails phoneNumbers ims photos addresses groups entitlements roles x509Certificates"],
  group: [GROUP_SCHEMA, "members"],
};

/**
 * The multi-valued attributes of `resourceType` (any case; every resource type when `undefined`)
 * in `bundle`, or in the RFC 7643 core resource types when there is no bundle or it does not
 * define that resource type.
 */
export function multiValuedAttributes(resourceType?: string, bundle?: ScimBundle): MultiValued {
  const keys = new Set(["schemas"]);
  const type = resourceType?.toLowerCase();
  const matches = (name: string) => type === undefined || type === name.toLowerCase();
  const add = (schema: string, name: string, base: boolean) => {
    keys.add(`${schema}:${name}`.toLowerCase());
    if (base) keys.add(name.toLowerCase());
  };
  if (bundle === undefined || !bundle.resourceTypes.some((resource) => matches(resource.name))) {
    for (const [name, [schema, names]] of Object.entries(CORE))
      if (matches(name)) for (const attribute of names.split(" ")) add(schema, attribute, true);
    return keys;
  }
  for (const resource of bundle.resourceTypes) {
    if (!matches(resource.name)) continue;
    for (const uri of [resource.schema, ...(resource.schemaExtensions ?? []).map((e) => e.schema)]) {
      const schema = bundle.schemas.find((s) => s.id.toLowerCase() === uri.toLowerCase());
      for (const attribute of schema?.attributes ?? [])
        if (attribute.multiValued) add(uri, attribute.name, uri === resource.schema);
    }
  }
  return keys;
}

/** `[value]` when a multi-valued attribute got one value (`null` and lists stay as they are). */
const listed = (value: unknown) =>
  value === null || value === undefined || Array.isArray(value) ? value : [value];

/**
 * The operation with every value of a multi-valued attribute sent as a list (RFC 7643 §2.4: its
 * value is an array; servers answer 400 to a bare object). Covers `add` / `replace` at a path that
 * names the attribute (`emails`, `urn:…:User:emails`) and the attributes of a path-less value,
 * including those under an extension's URN key. Value-filter paths (`emails[type eq "work"]`,
 * `….value`) target one element or sub-attribute and keep a single value (RFC 7644 §3.5.2.3).
 *
 * @example
 * listValues({ op: "add", path: "emails", value: { value: "a@b.c" } }, multiValuedAttributes("User"));
 * // { op: "add", path: "emails", value: [{ value: "a@b.c" }] }
 */
export function listValues<O extends PatchOperation<unknown>>(operation: O, multiValued: MultiValued): O {
  if (operation.op === "remove") return operation;
  const { path, value } = operation;
  if (path !== undefined) {
    const listedValue = multiValued.has(path.trim().toLowerCase()) ? listed(value) : value;
    return listedValue === value ? operation : { ...operation, value: listedValue };
  }
  if (!isObject(value)) return operation;
  let copy: Record<string, unknown> | undefined;
  for (const [key, item] of Object.entries(value)) {
    const lower = key.toLowerCase();
    let next = multiValued.has(lower) ? listed(item) : item;
    if (next === item && isObject(item) && lower.includes(":")) {
      // an extension's attributes under its URN key
      let inner: Record<string, unknown> | undefined;
      for (const [name, sub] of Object.entries(item)) {
        if (!multiValued.has(`${lower}:${name.toLowerCase()}`) || listed(sub) === sub) continue;
        inner ??= { ...item };
        inner[name] = listed(sub);
      }
      next = inner ?? item;
    }
    if (next === item) continue;
    copy ??= { ...value };
    copy[key] = next;
  }
  return copy === undefined ? operation : { ...operation, value: copy };
}

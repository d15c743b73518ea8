import { field, resourcesOf } from "../../http.js";
import { fail, pass } from "../../outcome.js";
import type { Check } from "../../types.js";

/** RFC 7643 §2.3 data types (§7 lists all but "binary", which §2.3.6 defines and §8.7.1 uses). */
const TYPES = new Set([
  "string",
  "boolean",
  "decimal",
  "integer",
  "dateTime",
  "binary",
  "reference",
  "complex",
]);
const MUTABILITY = new Set(["readOnly", "readWrite", "immutable", "writeOnly"]);
const RETURNED = new Set(["always", "never", "default", "request"]);
const UNIQUENESS = new Set(["none", "server", "global"]);
/** The schema describing Schema resources (RFC 7643 §8.7.2). */
const META_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Schema";
/** RFC 7643 §2.1 ATTRNAME (ALPHA *(nameChar)), plus "$ref", which §2.3.7 and §4.1.2 use. */
const ATTRNAME = /^([A-Za-z][A-Za-z0-9_-]*|\$ref)$/;

/** What is wrong with one attribute definition (RFC 7643 §7), and recursively its sub-attributes. */
function attributeProblems(attribute: unknown, where: string, problems: string[]): void {
  const name = field(attribute, "name");
  const at = typeof name === "string" ? `${where}${name}` : `${where}(unnamed)`;
  if (typeof name !== "string" || !ATTRNAME.test(name))
    problems.push(`${at}: name is not an RFC 7643 §2.1 ATTRNAME`);
  const type = field(attribute, "type");
  if (typeof type !== "string" || !TYPES.has(type))
    problems.push(`${at}: type ${JSON.stringify(type)} is not an RFC 7643 §2.3 type`);
  if (typeof field(attribute, "multiValued") !== "boolean")
    problems.push(`${at}: multiValued is not a boolean`);
  for (const key of ["required", "caseExact"]) {
    const value = field(attribute, key);
    if (value !== undefined && typeof value !== "boolean") problems.push(`${at}: ${key} is not a boolean`);
  }
  for (const [key, allowed] of [
    ["mutability", MUTABILITY],
    ["returned", RETURNED],
    ["uniqueness", UNIQUENESS],
  ] as const) {
    const value = field(attribute, key);
    if (value !== undefined && (typeof value !== "string" || !allowed.has(value)))
      problems.push(`${at}: ${key} ${JSON.stringify(value)} is not one of ${[...allowed].join(", ")}`);
  }
  const referenceTypes = field(attribute, "referenceTypes");
  if (type === "reference") {
    if (
      !Array.isArray(referenceTypes) ||
      referenceTypes.length === 0 ||
      referenceTypes.some((r) => typeof r !== "string")
    )
      problems.push(`${at}: a reference attribute needs referenceTypes, a non-empty array of strings`);
  } else if (referenceTypes !== undefined)
    problems.push(`${at}: referenceTypes on a ${String(type)} attribute`);
  const canonical = field(attribute, "canonicalValues");
  if (canonical !== undefined) {
    const wanted =
      type === "integer" || type === "decimal" ? "number" : type === "boolean" ? "boolean" : "string";
    if (!Array.isArray(canonical) || canonical.some((v) => typeof v !== wanted))
      problems.push(`${at}: canonicalValues is not an array of ${wanted} values`);
    else if (
      new Set(
        canonical.map((v) =>
          typeof v === "string" && field(attribute, "caseExact") !== true ? v.toLowerCase() : v,
        ),
      ).size !== canonical.length
    )
      problems.push(`${at}: canonicalValues lists a value twice`);
  }
  const subAttributes = field(attribute, "subAttributes");
  if (subAttributes === undefined) return;
  if (type !== "complex") {
    problems.push(`${at}: subAttributes on a ${String(type)} attribute (only complex attributes have them)`);
    return;
  }
  if (!Array.isArray(subAttributes)) {
    problems.push(`${at}: subAttributes is not an array`);
    return;
  }
  // RFC 7643 §2.3.8: "A complex attribute MUST NOT contain sub-attributes that have sub-attributes
  // (i.e., that are complex)." The RFC's own Schema schema (§8.7.2) nests subAttributes inside
  // attributes, so that one schema is exempt.
  if (!where.startsWith(`${META_SCHEMA}:`) && subAttributes.some((s) => field(s, "type") === "complex"))
    problems.push(`${at}: a complex sub-attribute (RFC 7643 §2.3.8 allows no nesting)`);
  for (const sub of subAttributes) attributeProblems(sub, `${at}.`, problems);
}

/** Attribute characteristics of every schema in /Schemas (RFC 7643 §2, §7). */
export const attributeChecks: readonly Check[] = [
  {
    id: "discovery.schema-attributes",
    title:
      "Every attribute in /Schemas has valid characteristics (type, mutability, returned, uniqueness, subAttributes, referenceTypes, canonicalValues)",
    requirement: "RFC 7643 §7; RFC 7643 §2.3; RFC 7643 §2.1; RFC 7643 §2.3.8",
    level: "MUST",
    profile: "rfc",
    writes: false,
    async run(ctx) {
      const exchange = await ctx.send("GET", "/Schemas");
      const schemas = Array.isArray(exchange.json) ? exchange.json : resourcesOf(exchange.json);
      if (exchange.status !== 200 || !schemas) return fail("expected 200 and a ListResponse", exchange);
      const problems: string[] = [];
      for (const schema of schemas) {
        const id = String(field(schema, "id"));
        const attributes = field(schema, "attributes");
        if (!Array.isArray(attributes)) {
          problems.push(`${id}: attributes is not an array`);
          continue;
        }
        for (const attribute of attributes) attributeProblems(attribute, `${id}:`, problems);
      }
      if (problems.length === 0) return pass();
      const shown = problems.slice(0, 5).join("; ");
      return fail(problems.length > 5 ? `${shown}; and ${problems.length - 5} more` : shown, exchange);
    },
  },
];

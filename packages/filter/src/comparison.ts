import { type AttributeDefinition, ScimError } from "@scimkit/core";
import type { ComparisonOperator, ComparisonValue } from "./ast.js";

/** Operators that order values (RFC 7644 §3.4.2.2 Table 3). @example ORDERING_OPERATORS.has("ge"); // true */
export const ORDERING_OPERATORS: ReadonlySet<ComparisonOperator> = new Set(["gt", "ge", "lt", "le"]);
/** Operators that match substrings. @example SUBSTRING_OPERATORS.has("co"); // true */
export const SUBSTRING_OPERATORS: ReadonlySet<ComparisonOperator> = new Set(["co", "sw", "ew"]);

const DATE_TIME = /^-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(Z|[+-]\d{2}:\d{2})?$/i;

/**
 * xsd:dateTime (RFC 7643 §2.3.5) to epoch milliseconds; a value without an offset is read as UTC. NaN
 * when invalid. Every evaluator of filters (in memory, SQL) reads instants with this one function.
 *
 * @example
 * instant("2011-05-13T04:42:34Z"); // 1305261754000
 */
export function instant(text: string): number {
  const match = DATE_TIME.exec(text);
  if (!match) return Number.NaN;
  const upper = text.toUpperCase();
  return Date.parse(match[1] === undefined ? `${upper}Z` : upper);
}

/**
 * The value a comparison compares with, checked against the attribute's type and turned into what an
 * evaluator needs: strings with their case rule (binary compares exactly), booleans (also written
 * "true"/"false"), numbers, and dateTimes as instants.
 *
 * @example
 * comparisonOperand("eq", "active", activeDefinition, "True"); // { kind: "boolean", value: true }
 */
export type ComparisonOperand =
  | { readonly kind: "string"; readonly value: string; readonly caseExact: boolean }
  | { readonly kind: "boolean"; readonly value: boolean }
  | { readonly kind: "number"; readonly value: number }
  | { readonly kind: "instant"; readonly value: number };

/**
 * Checks a comparison the RFC allows and returns its operand; otherwise a 400 `invalidFilter` naming the
 * attribute (`text`, as written): ordering operators on booleans or binaries (RFC 7644 §3.4.2.2), substring
 * operators on anything but strings and references, and values of the wrong type. Shared by
 * `compileFilter` and the SQL translation of the PostgreSQL store so both accept exactly the same filters.
 *
 * @example
 * comparisonOperand("gt", "meta.lastModified", lastModified, "2011-05-13T04:42:34Z"); // { kind: "instant", value: 1305261754000 }
 */
export function comparisonOperand(
  op: ComparisonOperator,
  text: string,
  definition: AttributeDefinition,
  value: Exclude<ComparisonValue, null>,
): ComparisonOperand {
  const { type } = definition;
  if (ORDERING_OPERATORS.has(op) && (type === "boolean" || type === "binary")) {
    throw ScimError.invalidFilter(
      `"${op}" cannot compare "${text}": ${type} attributes support only eq, ne and pr (RFC 7644 §3.4.2.2)`,
    );
  }
  if (SUBSTRING_OPERATORS.has(op) && type !== "string" && type !== "reference") {
    throw ScimError.invalidFilter(
      `"${op}" cannot compare "${text}": it is a ${type} attribute, and ${op} works on strings and references only`,
    );
  }
  switch (type) {
    case "string":
    case "reference":
    case "binary":
      if (typeof value !== "string") {
        throw ScimError.invalidFilter(
          `"${text}" is a ${type} attribute; compare it with a string in double quotes, not ${JSON.stringify(value)}`,
        );
      }
      return { kind: "string", value, caseExact: type === "binary" || definition.caseExact };
    case "boolean": {
      const lower = typeof value === "string" ? value.toLowerCase() : undefined;
      const bool =
        typeof value === "boolean" ? value : lower === "true" ? true : lower === "false" ? false : undefined;
      if (bool === undefined) {
        throw ScimError.invalidFilter(
          `"${text}" is a boolean attribute; compare it with true or false, not ${JSON.stringify(value)}`,
        );
      }
      return { kind: "boolean", value: bool };
    }
    case "integer":
    case "decimal":
      if (typeof value !== "number") {
        throw ScimError.invalidFilter(
          `"${text}" is an ${type} attribute; compare it with a number, not ${JSON.stringify(value)}`,
        );
      }
      return { kind: "number", value };
    case "dateTime": {
      const ms = typeof value === "string" ? instant(value) : Number.NaN;
      if (Number.isNaN(ms)) {
        throw ScimError.invalidFilter(
          `"${text}" is a dateTime attribute; compare it with a date-time string such as "2011-05-13T04:42:34Z", not ${JSON.stringify(value)}`,
        );
      }
      return { kind: "instant", value: ms };
    }
    case "complex":
      throw ScimError.invalidFilter(`"${text}" is a complex attribute; compare one of its sub-attributes`);
    default: {
      const unknownType: never = type;
      throw ScimError.invalidFilter(`"${text}" has unsupported type ${String(unknownType)}`);
    }
  }
}

/**
 * RFC 7644 §3.4.2.2: a complex multi-valued attribute compared without a sub-attribute compares its
 * `value` sub-attribute (`emails co "@example.com"`). Returns that sub-attribute when the comparison goes
 * to it, `undefined` when `definition` is compared itself (or the value is null, for presence); a complex
 * attribute that cannot be compared is a 400 `invalidFilter` naming its sub-attributes.
 *
 * @example
 * valueSubAttribute(emailsDefinition, "@example.com", "emails")?.name; // "value"
 */
export function valueSubAttribute(
  definition: AttributeDefinition,
  value: ComparisonValue,
  text: string,
): AttributeDefinition | undefined {
  if (definition.type !== "complex" || value === null) return undefined;
  const valueDefinition = definition.subAttributes?.find((a) => a.name.toLowerCase() === "value");
  if (!definition.multiValued || valueDefinition === undefined) {
    const subs = definition.subAttributes?.map((a) => a.name).join(", ") ?? "none";
    throw ScimError.invalidFilter(
      `"${text}" is a complex attribute; compare one of its sub-attributes (${subs}), e.g. "${text}.${definition.subAttributes?.[0]?.name ?? "value"}"`,
    );
  }
  return valueDefinition;
}

/** A SCIM User body (from JSON, NDJSON, another server or an app) as a source record. */
import type { UserSchema } from "../schema/user-schema.js";
import type { JsonObject, SourceItem, UserSchemaInfo } from "../types.js";

/**
 * The groups a body names: `groups` as displayNames (`["Eng"]`) or as the User's readOnly `groups`
 * (`[{ "display": "Eng" }]`, RFC 7643 §4.1.2); `undefined` when the body has no `groups`.
 */
function groupsOf(body: JsonObject): string[] | undefined {
  const key = Object.keys(body).find((k) => k.toLowerCase() === "groups");
  if (key === undefined) return undefined;
  const value = body[key];
  if (!Array.isArray(value)) throw new Error('"groups" must be a list of group displayNames');
  return value.map((g) => {
    if (typeof g === "string") return g;
    if (g !== null && typeof g === "object" && typeof (g as JsonObject).display === "string")
      return (g as JsonObject).display as string;
    throw new Error('each of "groups" must be a displayName or an object with "display"');
  });
}

/** The source item of one body; a body that does not fit the target's User is a row error. */
export function bodyItem(value: unknown, row: number, schema: UserSchemaInfo): SourceItem {
  try {
    if (value === null || typeof value !== "object" || Array.isArray(value))
      throw new Error(
        `expected a User object, found ${Array.isArray(value) ? "an array" : JSON.stringify(value)}`,
      );
    const body = value as JsonObject;
    return {
      kind: "user",
      row,
      assignments: (schema as UserSchema).bodyAssignments(body),
      groups: groupsOf(body),
    };
  } catch (error) {
    const detail = `row ${row}: ${error instanceof Error ? error.message : String(error)}`;
    return { kind: "error", row, failure: { row, status: 400, scimType: "invalidValue", detail } };
  }
}

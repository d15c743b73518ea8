/** Applies a source's assignments to a User body: how a CSV row or JSON body becomes the wanted resource. */
import { copyOf } from "../copy.js";
import type { Assignment, JsonObject } from "../types.js";

const isObject = (v: unknown): v is JsonObject => v !== null && typeof v === "object" && !Array.isArray(v);

/** Whether an element of a multi-valued attribute matches a `where` selection (values compared case-insensitively, as `type` is caseExact false in RFC 7643 §4.1.2). */
function matches(element: unknown, where: Readonly<Record<string, string>>): element is JsonObject {
  if (!isObject(element)) return false;
  for (const [k, v] of Object.entries(where)) {
    const e = element[k];
    if (typeof e !== "string" || e.toLowerCase() !== v.toLowerCase()) return false;
  }
  return true;
}

/** Sub-attributes that mean nothing on their own: an element left with only these (and its selection) is dropped. */
const MARKERS = new Set(["primary", "display"]);

function assignElement(
  holder: JsonObject,
  a: Assignment & { sub: string; where: Readonly<Record<string, string>> },
): void {
  const list = Array.isArray(holder[a.attribute]) ? [...(holder[a.attribute] as unknown[])] : [];
  const index = list.findIndex((e) => matches(e, a.where));
  if (a.value === undefined) {
    if (index < 0) return;
    const element = copyOf(list[index] as JsonObject);
    delete element[a.sub];
    const meaningful = Object.keys(element).some((k) => !(k in a.where) && !MARKERS.has(k));
    if (meaningful) list[index] = element;
    else list.splice(index, 1);
  } else if (index < 0) {
    const element = copyOf(a.where as JsonObject);
    element[a.sub] = a.value;
    list.push(element);
  } else {
    const element = copyOf(list[index] as JsonObject);
    element[a.sub] = a.value;
    list[index] = element;
  }
  if (list.length === 0) delete holder[a.attribute];
  else holder[a.attribute] = list;
}

function assignOne(holder: JsonObject, a: Assignment): void {
  if (a.sub === undefined) {
    if (a.value === undefined) delete holder[a.attribute];
    else holder[a.attribute] = a.value;
    return;
  }
  if (a.where !== undefined) {
    assignElement(holder, a as Assignment & { sub: string; where: Readonly<Record<string, string>> });
    return;
  }
  const complex: JsonObject = isObject(holder[a.attribute]) ? copyOf(holder[a.attribute] as JsonObject) : {};
  if (a.value === undefined) delete complex[a.sub];
  else complex[a.sub] = a.value;
  if (Object.keys(complex).length === 0) delete holder[a.attribute];
  else holder[a.attribute] = complex;
}

/**
 * A copy of `resource` with every assignment applied in order: `undefined` values clear, extension
 * attributes go under their URN key (dropped when emptied), and the URN joins `schemas` when present.
 *
 * @example applyAssignments({ userName: "ada" }, [{ attribute: "name", sub: "givenName", value: "Ada" }]) // { userName: "ada", name: { givenName: "Ada" } }
 */
export function applyAssignments(resource: JsonObject, assignments: readonly Assignment[]): JsonObject {
  // copies, not spreads: see ../copy.ts
  const out = copyOf(resource);
  for (const a of assignments) {
    if (a.urn === undefined) {
      assignOne(out, a);
      continue;
    }
    const extension: JsonObject = isObject(out[a.urn]) ? copyOf(out[a.urn] as JsonObject) : {};
    assignOne(extension, a);
    if (Object.keys(extension).length === 0) delete out[a.urn];
    else out[a.urn] = extension;
  }
  return out;
}

/** `schemas` for a body: the core User URN and each extension URN the body has a key for (RFC 7643 §3). */
export function schemasFor(body: JsonObject, core: string, extensions: readonly string[]): string[] {
  return [core, ...extensions.filter((urn) => urn in body)];
}

/** The key value a record sets (`userName` or `externalId`), or `undefined`. */
export function keyOf(assignments: readonly Assignment[], key: string): string | undefined {
  for (let i = assignments.length - 1; i >= 0; i--) {
    const a = assignments[i];
    if (a !== undefined && a.urn === undefined && a.sub === undefined && a.attribute === key)
      return typeof a.value === "string" && a.value !== "" ? a.value : undefined;
  }
  return undefined;
}

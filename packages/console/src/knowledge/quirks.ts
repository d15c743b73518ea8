// Known identity-provider habits that @scimkit/server accepts by default and answers with the RFC's
// error under `strict: true` (server README, "Lenient by default, strict on request"). When a failed
// request looks like one of them, the console says what the IdP meant and how to get it accepted.

/** What a failed request probably meant. */
export interface QuirkHint {
  /** The quirk, as the server README's table names it. */
  readonly quirk: string;
  /** Who is known to send it. */
  readonly sentBy: string;
  /** What the IdP meant, in RFC terms. */
  readonly meant: string;
}

/** The parts of a recorded failure the detectors read. */
export interface FailedRequest {
  readonly method: string;
  readonly status: number;
  readonly scimType?: string;
  readonly detail?: string;
  readonly requestBody?: unknown;
}

const PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
const ENTERPRISE_ATTRIBUTES = new Set([
  "employeenumber",
  "costcenter",
  "organization",
  "division",
  "department",
  "manager",
]);
const LENIENT =
  "The server accepts this in its default (lenient) mode; strict: true answers the RFC's error.";

type Operation = { op?: unknown; path?: unknown; value?: unknown; keys: string[] };

function record(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === "object" && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/** The PATCH operations of a body, reading `Op`/`Path`/`Value` as the lenient server does. */
function operations(body: unknown): Operation[] | undefined {
  const message = record(body);
  const list = message?.Operations ?? message?.operations;
  if (!Array.isArray(list)) return undefined;
  return list.flatMap((item) => {
    const op = record(item);
    if (!op) return [];
    const get = (name: string) => {
      const key = Object.keys(op).find((k) => k.toLowerCase() === name);
      return key === undefined ? undefined : op[key];
    };
    return [{ op: get("op"), path: get("path"), value: get("value"), keys: Object.keys(op) }];
  });
}

function deepSome(value: unknown, test: (v: unknown) => boolean, depth = 0): boolean {
  if (depth > 8) return false;
  if (test(value)) return true;
  if (Array.isArray(value)) return value.some((v) => deepSome(v, test, depth + 1));
  const object = record(value);
  return object ? Object.values(object).some((v) => deepSome(v, test, depth + 1)) : false;
}

/** The attribute a path starts with, lower case, without a value filter or sub-attribute. */
function rootOf(path: unknown): string | undefined {
  return typeof path === "string" ? path.split(/[.[]/)[0]?.trim().toLowerCase() : undefined;
}

const detectors: readonly ((
  request: FailedRequest,
  ops: Operation[] | undefined,
) => QuirkHint | undefined)[] = [
  (r, ops) =>
    r.scimType === "invalidSyntax" &&
    ops?.some(
      (o) =>
        (typeof o.op === "string" && o.op !== o.op.toLowerCase()) ||
        o.keys.some((k) => k === "Op" || k === "Path" || k === "Value"),
    )
      ? {
          quirk: '"op": "Add" / "Replace" / "Remove" (or Op/Path/Value member names)',
          sentBy: "Entra ID",
          meant: `The lower-case operation RFC 7644 §3.5.2 defines ("add", "replace", "remove"). ${LENIENT}`,
        }
      : undefined,
  (r, ops) =>
    r.scimType === "invalidSyntax" &&
    ops?.some((o) => String(o.op).toLowerCase() === "remove" && rootOf(o.path) === "members" && o.value)
      ? {
          quirk: '{"op":"Remove","path":"members","value":[{"value":"…"}]}',
          sentBy: "Entra ID",
          meant:
            'Remove exactly the listed members: the RFC way is one remove per member with a value filter, "path": "members[value eq \\"id\\"]" (RFC 7644 §3.5.2.2). ' +
            LENIENT,
        }
      : undefined,
  (r) => {
    const message = record(r.requestBody);
    const schemas = message?.schemas;
    return r.method === "PATCH" &&
      r.scimType === "invalidSyntax" &&
      message &&
      !(Array.isArray(schemas) && schemas.includes(PATCH_OP))
      ? {
          quirk: "A PATCH body without the PatchOp URN in schemas",
          sentBy: "various",
          meant: `A PatchOp message: "schemas": ["${PATCH_OP}"] (RFC 7644 §3.5.2). ${LENIENT}`,
        }
      : undefined;
  },
  (r, ops) =>
    r.scimType === "invalidValue" &&
    ops?.some((o) => deepSome(o.value, (v) => typeof v === "string" && /^(true|false)$/i.test(v)))
      ? {
          quirk: '"True" / "False" strings for booleans',
          sentBy: "Entra ID",
          meant: `The JSON booleans true / false (RFC 7643 §2.3.2); "active": "False" means deactivate the user. ${LENIENT}`,
        }
      : undefined,
  (r, ops) =>
    (r.scimType === "invalidPath" || r.scimType === "invalidValue") &&
    ops?.some(
      (o) =>
        (typeof o.path === "string" && /^urn:[^[\]]*:User\.\w/i.test(o.path)) ||
        Object.keys(record(o.value) ?? {}).some((k) => /^urn:[^[\]]*:User\.\w/i.test(k)),
    )
      ? {
          quirk: "<extension URN>.<attribute> (urn:…:enterprise:2.0:User.manager)",
          sentBy: "Microsoft's inbound collection",
          meant: `The attribute under its URN with a colon: ${ENTERPRISE}:manager (RFC 7644 §3.10). ${LENIENT}`,
        }
      : undefined,
  (r, ops) =>
    (r.scimType === "invalidValue" || r.scimType === "invalidPath") &&
    ops?.some(
      (o) =>
        o.path === undefined &&
        Object.keys(record(o.value) ?? {}).some((k) => k.includes(".") || k.startsWith("urn:")),
    )
      ? {
          quirk: 'Path-less replace with dotted or URN-qualified keys ({"name.givenName": …})',
          sentBy: "Entra ID",
          meant: `Set each key as if it were a path ("path": "name.givenName"); RFC 7644 §3.5.2.3 expects attribute names as keys. ${LENIENT}`,
        }
      : undefined,
  (r, ops) =>
    r.scimType === "invalidValue" &&
    ops?.some((o) => /(^|:)manager$/i.test(String(o.path)) && Array.isArray(o.value) && o.value.length === 1)
      ? {
          quirk: "A one-element list for a singular complex attribute (manager)",
          sentBy: "Entra ID (documentation example)",
          meant: `The single value itself: "value": {"value": "<manager id>"} (RFC 7643 §2.4: manager is single-valued). ${LENIENT}`,
        }
      : undefined,
  (r, ops) =>
    r.scimType === "invalidValue" &&
    ops?.some((o) => /(^|:)manager$/i.test(String(o.path)) && typeof o.value === "string")
      ? {
          quirk: 'A bare string for a complex attribute ("manager": "id")',
          sentBy: "Entra ID",
          meant: `The complex value {"value": "<id>"} (RFC 7643 §4.3 manager.value). ${LENIENT}`,
        }
      : undefined,
  (r, ops) => {
    const root = ops?.map((o) => rootOf(o.path)).find((p) => p && ENTERPRISE_ATTRIBUTES.has(p));
    return r.scimType === "invalidPath" && root
      ? {
          quirk: `An unqualified extension attribute ("path": "${root}")`,
          sentBy: "Entra ID (documentation example)",
          meant: `The enterprise extension's attribute: "${ENTERPRISE}:${root}" (RFC 7644 §3.10 says clients SHOULD qualify it). ${LENIENT}`,
        }
      : undefined;
  },
  (r, ops) =>
    r.scimType === "mutability" && ops?.some((o) => o.path === undefined && record(o.value)?.id !== undefined)
      ? {
          quirk: "The unchanged id inside a path-less PATCH value",
          sentBy: "Okta",
          meant: `Only the other attributes; Okta echoes the id it already has (readOnly, RFC 7643 §3.1). A different id is refused in both modes. ${LENIENT}`,
        }
      : undefined,
  (r) =>
    r.scimType === "invalidValue" && /canonical|strict mode accepts only/i.test(r.detail ?? "")
      ? {
          quirk: 'A value outside canonicalValues ("type": "office")',
          sentBy: "Okta custom types",
          meant: `canonicalValues are suggestions (RFC 7643 §7), and Okta maps custom types freely. ${LENIENT}`,
        }
      : undefined,
  (r) =>
    r.scimType === "invalidValue" &&
    /unknown (sub-)?attribute|is not an? (sub-)?attribute of/i.test(r.detail ?? "")
      ? {
          quirk: "An attribute the schema does not define",
          sentBy: "various (IdPs send attributes an app never defined)",
          meant: `Nothing to store for that key: the lenient server ignores it (RFC 7644 §3.3 lets the service provider shape what it keeps). ${LENIENT}`,
        }
      : undefined,
];

/**
 * The known IdP quirks a failed request matches, most specific first (empty for anything else).
 *
 * @example
 * quirkHints({ method: "PATCH", status: 400, scimType: "invalidSyntax", requestBody: { schemas: [PATCH_OP], Operations: [{ op: "Replace", path: "active", value: false }] } });
 */
export function quirkHints(request: FailedRequest): QuirkHint[] {
  if (request.status !== 400 && request.status !== 409) return [];
  const ops = operations(request.requestBody);
  const hints: QuirkHint[] = [];
  for (const detect of detectors) {
    const hint = detect(request, ops);
    if (hint) hints.push(hint);
  }
  return hints;
}

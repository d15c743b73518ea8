import { ERROR_MESSAGE_URN, SCIM_MEDIA_TYPE } from "./urns.js";

/**
 * The `scimType` keywords of RFC 7644 §3.12 (Table 9), plus the cursor keywords of RFC 9865 §2.1.
 *
 * @example
 * const t: ScimType = "invalidFilter";
 */
export type ScimType =
  | "invalidFilter"
  | "tooMany"
  | "uniqueness"
  | "mutability"
  | "invalidSyntax"
  | "invalidPath"
  | "noTarget"
  | "invalidValue"
  | "invalidVers"
  | "sensitive"
  | "invalidCursor"
  | "expiredCursor"
  | "invalidCount";

/**
 * Every {@link ScimType}, in RFC order.
 *
 * @example
 * SCIM_TYPES.includes("noTarget"); // true
 */
export const SCIM_TYPES: readonly ScimType[] = Object.freeze([
  "invalidFilter",
  "tooMany",
  "uniqueness",
  "mutability",
  "invalidSyntax",
  "invalidPath",
  "noTarget",
  "invalidValue",
  "invalidVers",
  "sensitive",
  "invalidCursor",
  "expiredCursor",
  "invalidCount",
]);

/**
 * The JSON body of a SCIM error response (RFC 7644 §3.12). `status` is a string, as the RFC's examples show.
 *
 * @example
 * const body: ScimErrorBody = { schemas: [ERROR_MESSAGE_URN], status: "404", detail: "Resource 2819c223 not found" };
 */
export interface ScimErrorBody {
  schemas: [typeof ERROR_MESSAGE_URN];
  status: string;
  scimType?: string;
  detail?: string;
}

/**
 * What {@link ScimError} is built from.
 *
 * @example
 * new ScimError({ status: 409, scimType: "uniqueness", detail: 'userName "bjensen" is already taken' });
 */
export interface ScimErrorOptions {
  /** HTTP status, 400–599 (RFC 7644 §3.12 Table 8). */
  status: number;
  /** RFC 7644 §3.12 Table 9 keyword; only meaningful with 400 (and 409/413 by convention). */
  scimType?: ScimType | undefined;
  /** A message a person can act on: what was wrong, where, and what was expected. */
  detail: string;
  /** The underlying error, kept for logs; never serialized into a response. */
  cause?: unknown;
}

const BRAND = Symbol.for("@scimkit/core.ScimError");

/**
 * The one error type of scimkit: an HTTP status, an optional RFC 7644 §3.12 `scimType`, and a `detail`
 * for people. Servers turn it into a response with {@link ScimError.toResponse}; clients reject with it
 * when a server answers with a SCIM Error resource.
 *
 * @example
 * throw new ScimError({ status: 400, scimType: "invalidFilter", detail: 'expected a value after "eq" at column 12' });
 */
export class ScimError extends Error {
  override name = "ScimError" as const;
  /** HTTP status, e.g. 400, 404, 409, 412. */
  readonly status: number;
  /** RFC 7644 §3.12 Table 9 keyword, when there is one (absent, not `undefined`, when there is none). */
  declare readonly scimType?: ScimType;
  /** Human-readable explanation (RFC 7644 §3.12 `detail`). */
  readonly detail: string;

  constructor(options: ScimErrorOptions) {
    const { status, scimType, detail, cause } = options;
    super(detail, cause === undefined ? undefined : { cause });
    if (!Number.isInteger(status) || status < 300 || status > 599) {
      throw new RangeError(
        `ScimError status must be an HTTP status between 300 and 599, got ${String(status)}`,
      );
    }
    this.status = status;
    if (scimType !== undefined) this.scimType = scimType;
    this.detail = detail;
    Object.defineProperty(this, BRAND, { value: true });
  }

  /**
   * The SCIM Error resource for this error (RFC 7644 §3.12), safe to send: no stack, no cause.
   *
   * @example
   * JSON.stringify(new ScimError({ status: 404, detail: "User 42 not found" }));
   * // {"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"status":"404","detail":"User 42 not found"}
   */
  toJSON(): ScimErrorBody {
    const body: ScimErrorBody = { schemas: [ERROR_MESSAGE_URN], status: String(this.status) };
    if (this.scimType !== undefined) body.scimType = this.scimType;
    if (this.detail !== "") body.detail = this.detail;
    return body;
  }

  /**
   * A web-standard `Response` carrying {@link ScimError.toJSON} as `application/scim+json`.
   *
   * @example
   * return new ScimError({ status: 404, detail: "not found" }).toResponse();
   */
  toResponse(init?: { headers?: Record<string, string> }): Response {
    const headers = new Headers(init?.headers);
    if (!headers.has("content-type")) headers.set("content-type", `${SCIM_MEDIA_TYPE}; charset=utf-8`);
    return new Response(JSON.stringify(this.toJSON()), { status: this.status, headers });
  }

  /**
   * Reads a SCIM Error resource (as a server sent it) back into a ScimError. Returns `undefined` when
   * `body` is not an Error resource. The HTTP status wins over a missing or malformed `status` field.
   *
   * @example
   * const err = ScimError.fromBody(await response.json(), response.status);
   */
  static fromBody(body: unknown, httpStatus?: number): ScimError | undefined {
    if (typeof body !== "object" || body === null) return undefined;
    const record = body as Record<string, unknown>;
    const schemas = record.schemas;
    if (
      !Array.isArray(schemas) ||
      !schemas.some((s) => typeof s === "string" && s.toLowerCase() === ERROR_MESSAGE_URN.toLowerCase())
    ) {
      return undefined;
    }
    const parsed = Number(record.status);
    const status =
      httpStatus !== undefined && Number.isInteger(httpStatus) && httpStatus >= 300 && httpStatus <= 599
        ? httpStatus
        : Number.isInteger(parsed) && parsed >= 300 && parsed <= 599
          ? parsed
          : 500;
    const scimType =
      typeof record.scimType === "string" && (SCIM_TYPES as readonly string[]).includes(record.scimType)
        ? (record.scimType as ScimType)
        : undefined;
    const detail = typeof record.detail === "string" ? record.detail : `SCIM error ${status}`;
    return new ScimError({ status, scimType, detail });
  }

  /** 400 `invalidFilter` (RFC 7644 §3.12). @example throw ScimError.invalidFilter('unknown operator "eqq" at column 10'); */
  static invalidFilter(detail: string, cause?: unknown): ScimError {
    return new ScimError({ status: 400, scimType: "invalidFilter", detail, cause });
  }
  /** 400 `invalidPath` (RFC 7644 §3.12). @example throw ScimError.invalidPath('"emails[" is missing "]"'); */
  static invalidPath(detail: string, cause?: unknown): ScimError {
    return new ScimError({ status: 400, scimType: "invalidPath", detail, cause });
  }
  /** 400 `invalidValue` (RFC 7644 §3.12). @example throw ScimError.invalidValue('"active" must be a boolean'); */
  static invalidValue(detail: string, cause?: unknown): ScimError {
    return new ScimError({ status: 400, scimType: "invalidValue", detail, cause });
  }
  /** 400 `invalidSyntax` (RFC 7644 §3.12). @example throw ScimError.invalidSyntax("the body is not valid JSON"); */
  static invalidSyntax(detail: string, cause?: unknown): ScimError {
    return new ScimError({ status: 400, scimType: "invalidSyntax", detail, cause });
  }
  /** 400 `mutability` (RFC 7644 §3.12). @example throw ScimError.mutability('"id" is readOnly'); */
  static mutability(detail: string, cause?: unknown): ScimError {
    return new ScimError({ status: 400, scimType: "mutability", detail, cause });
  }
  /** 400 `noTarget` (RFC 7644 §3.12). @example throw ScimError.noTarget('no element of "emails" matches'); */
  static noTarget(detail: string, cause?: unknown): ScimError {
    return new ScimError({ status: 400, scimType: "noTarget", detail, cause });
  }
  /** 409 `uniqueness` (RFC 7644 §3.12). @example throw ScimError.uniqueness('userName "bjensen" is taken'); */
  static uniqueness(detail: string, cause?: unknown): ScimError {
    return new ScimError({ status: 409, scimType: "uniqueness", detail, cause });
  }
  /** 404 with no scimType (RFC 7644 §3.12 Table 8). @example throw ScimError.notFound("User 42 not found"); */
  static notFound(detail: string): ScimError {
    return new ScimError({ status: 404, detail });
  }
}

/**
 * True for a {@link ScimError}, including one created by another copy of this package or another realm:
 * it checks `instanceof`, then the brand registered with `Symbol.for` (shared by every realm) and the
 * shape (`status`, `detail`). A look-alike with only the same `name` is not one.
 *
 * @example
 * try { parseFilter(text) } catch (e) { if (isScimError(e)) return e.toResponse(); throw e; }
 */
export function isScimError(value: unknown): value is ScimError {
  if (value instanceof ScimError) return true;
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<PropertyKey, unknown>;
  return v[BRAND] === true && typeof v.status === "number" && typeof v.detail === "string";
}

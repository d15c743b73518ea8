import { ScimError } from "@scimkit/core";
import { findBadCharacter } from "../stores/text.js";
import { badCharacterDetail, printable } from "./strings.js";

/** 405 with the Allow header RFC 9110 §15.5.6 requires; HEAD is allowed wherever GET is (RFC 9110 §9.3.2). */
export class MethodNotAllowed extends ScimError {
  readonly allow: string;
  constructor(method: string, where: string, allow: readonly string[]) {
    const methods = allow.includes("GET") && !allow.includes("HEAD") ? [...allow, "HEAD"] : allow;
    super({ status: 405, detail: `${method} is not allowed on ${where}; use ${methods.join(", ")}` });
    this.allow = methods.join(", ");
  }
}

/** Client-supplied text for an error detail: quoted, cut to 100 characters, NUL and lone surrogates escaped. */
export function quote(text: string): string {
  return `"${printable(text)}"`;
}

/**
 * A percent-decoded path segment (an id, a schema URN, a resource type name). A segment that is not
 * percent-encoded UTF-8 (`%E0%A4%A`, or `%ED%A0%80`: a surrogate encoded as UTF-8, which RFC 3629 §3
 * forbids, so it never decodes to a lone surrogate) and one that decodes to NUL (`%00`) name no resource
 * we could hold: 400 `invalidValue` ("not compatible with the operation or attribute type", RFC 7644
 * §3.12) before any store sees them (PostgreSQL cannot compare text holding NUL), never a 500. Not 404:
 * the request is wrong whatever the store holds. `invalidSyntax` is for bodies, so not that either.
 */
export function decodeSegment(segment: string): string {
  let decoded: string;
  try {
    decoded = decodeURIComponent(segment);
  } catch {
    throw ScimError.invalidValue(
      `the URL path segment ${quote(segment)} is not valid percent-encoded UTF-8 (RFC 3986 §2.1)`,
    );
  }
  const bad = findBadCharacter(decoded);
  if (bad) throw ScimError.invalidValue(badCharacterDetail(`the URL path segment ${quote(segment)}`, bad));
  return decoded;
}

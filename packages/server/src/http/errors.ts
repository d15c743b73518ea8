import { ScimError } from "@scimkit/core";

/** 405 with the Allow header RFC 9110 §15.5.6 requires. */
export class MethodNotAllowed extends ScimError {
  readonly allow: string;
  constructor(method: string, where: string, allow: readonly string[]) {
    super({ status: 405, detail: `${method} is not allowed on ${where}; use ${allow.join(", ")}` });
    this.allow = allow.join(", ");
  }
}

/** A percent-decoded path segment; malformed escapes are the client's error, not a 500. */
export function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw ScimError.invalidSyntax(`the URL path segment "${segment}" is not valid percent-encoding`);
  }
}

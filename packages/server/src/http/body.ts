import { isScimError, readBoundedBody, ScimError, type ScimType } from "@scimkit/core";
import type { Call, Env } from "./call.js";
import { badStringError, findBadString } from "./strings.js";

/**
 * The client closed the connection while its request body was being read. Nobody reads the answer, so
 * it is a ScimError (answered like any client error, never reported to `onError` as unexpected).
 */
export class ClientClosedRequest extends ScimError {
  constructor(cause: unknown) {
    super({ status: 400, detail: "the client closed the connection before its request body arrived", cause });
  }
}

/** Whether a failed body read means the client went away (node: ECONNRESET "aborted"; undici: "terminated"). */
function isClientGone(request: Request, error: unknown): boolean {
  if (request.signal.aborted) return true;
  if (typeof error !== "object" || error === null) return false;
  const { name, code, message } = error as { name?: unknown; code?: unknown; message?: unknown };
  if (name === "AbortError") return true;
  if (code === "ECONNRESET" || code === "ERR_STREAM_PREMATURE_CLOSE" || code === "UND_ERR_SOCKET")
    return true;
  return message === "aborted" || message === "terminated";
}

function isNamed(value: unknown, name: string): boolean {
  return typeof value === "object" && value !== null && (value as { name?: unknown }).name === name;
}

/** Search request members whose bad strings have their own scimType (RFC 7644 §3.12, RFC 9865 §2.1). */
const SEARCH_MEMBER_TYPES: ReadonlyMap<string, ScimType> = new Map([
  ["filter", "invalidFilter"],
  ["cursor", "invalidCursor"],
]);

export async function readBody(call: Call): Promise<unknown> {
  const { request, env } = call;
  if (!request.body) throw ScimError.invalidSyntax("the request has no body; send a JSON object");
  let bytes: Uint8Array | undefined;
  try {
    bytes = await readBoundedBody(request, env.maxPayloadSize);
  } catch (error) {
    if (isScimError(error)) throw error;
    const reason: unknown = request.signal.aborted ? request.signal.reason : error;
    // An adapter that gave up waiting (the node adapter's bodyTimeout) has answered 408 itself already.
    if (isNamed(reason, "TimeoutError") || isNamed(error, "TimeoutError"))
      throw new ScimError({
        status: 408,
        detail: "the request body did not arrive in time (RFC 9110 §15.5.9)",
        cause: error,
      });
    if (isClientGone(request, error)) throw new ClientClosedRequest(error);
    throw error;
  }
  if (bytes === undefined) throw tooLarge(env);
  // Invalid UTF-8 becomes U+FFFD here, which every store can keep.
  const text = new TextDecoder().decode(bytes);
  if (call.trace) call.trace.requestText = text;
  if (text.trim() === "") throw ScimError.invalidSyntax("the request body is empty; send a JSON object");
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw ScimError.invalidSyntax("the request body is not valid JSON");
  }
  // JSON.parse turns "\u0000" and "\ud800" escapes into characters no store can keep: one walk, keys too.
  const bad = findBadString(body);
  if (bad) {
    const member = bad.inKey ? undefined : /^[^.[:]+$/.exec(bad.path)?.[0]?.toLowerCase();
    const scimType =
      member !== undefined && isSearch(request)
        ? (SEARCH_MEMBER_TYPES.get(member) ?? "invalidValue")
        : "invalidValue";
    throw badStringError(bad, scimType);
  }
  return body;
}

/** POST /.search and POST /{Resource}/.search (RFC 7644 §3.4.3). */
function isSearch(request: Request): boolean {
  try {
    return /\/\.search\/*$/i.test(new URL(request.url).pathname);
  } catch {
    return false;
  }
}

export function tooLarge(env: Env): ScimError {
  return new ScimError({
    status: 413,
    detail: `the request body is larger than ${env.maxPayloadSize} bytes (maxPayloadSize, RFC 7644 §3.7.4)`,
  });
}

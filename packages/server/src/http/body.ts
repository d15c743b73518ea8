import { readBoundedBody, ScimError } from "@scimkit/core";
import type { Call, Env } from "./call.js";

export async function readBody(call: Call): Promise<unknown> {
  const { request, env } = call;
  if (!request.body) throw ScimError.invalidSyntax("the request has no body; send a JSON object");
  const bytes = await readBoundedBody(request, env.maxPayloadSize);
  if (bytes === undefined) throw tooLarge(env);
  const text = new TextDecoder().decode(bytes);
  if (text.trim() === "") throw ScimError.invalidSyntax("the request body is empty; send a JSON object");
  try {
    return JSON.parse(text);
  } catch {
    throw ScimError.invalidSyntax("the request body is not valid JSON");
  }
}

export function tooLarge(env: Env): ScimError {
  return new ScimError({
    status: 413,
    detail: `the request body is larger than ${env.maxPayloadSize} bytes (maxPayloadSize, RFC 7644 §3.7.4)`,
  });
}

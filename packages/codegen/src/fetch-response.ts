// What fetchSchemas reads from a response or a failed fetch: the body within a limit, the media type,
// the status line, the socket error code, and server text made safe to print.
import { STATUS_CODES } from "node:http";
import { readBoundedBody } from "@scimkit/core";

/** Text from the server, safe to print: control characters replaced, cut short, never the token. */
export function quoteServerText(text: string, token: string | undefined, max = 200): string {
  if (token !== undefined && text.includes(token)) return "(withheld: it contains the token)";
  // biome-ignore lint/suspicious/noControlCharactersInRegex: replacing control characters is the point
  const clean = text.replace(/[\u0000-\u001f\u007f-\u009f]+/g, " ").trim();
  return clean.length > max ? `${clean.slice(0, max)}…` : clean;
}

/** Bytes of a body, or undefined when it is larger than `limit` (the download is then let go). */
export async function readBody(response: Response, limit: number): Promise<Uint8Array | undefined> {
  const bytes = await readBoundedBody(response, limit);
  if (bytes === undefined && response.body && !response.body.locked)
    await response.body.cancel().catch(() => undefined);
  return bytes;
}

/** `text/html` from `text/html; charset=utf-8`; "no content type" when there is none. */
export function mediaType(response: Response): string {
  const type = response.headers.get("content-type")?.split(";")[0]?.trim().toLowerCase();
  return type ? quoteServerText(type, undefined, 80) : "no content type";
}

export function statusLine(status: number): string {
  const reason = STATUS_CODES[status];
  return reason ? `HTTP ${status} ${reason}` : `HTTP ${status}`;
}

/** The error code of a failed fetch: undici wraps the socket error (or several, for several addresses). */
export function errorCode(error: unknown): string | undefined {
  const cause = (error as { cause?: unknown } | null)?.cause;
  const code = (cause as { code?: unknown } | null)?.code;
  if (typeof code === "string") return code;
  const first = (cause as { errors?: unknown } | null)?.errors;
  if (Array.isArray(first)) {
    const inner = (first[0] as { code?: unknown } | null)?.code;
    if (typeof inner === "string") return inner;
  }
  return undefined;
}

export const RESET_CODES = new Set(["ECONNRESET", "EPIPE", "UND_ERR_SOCKET"]);
export const TLS_CODES =
  /^(CERT_|UNABLE_TO_|SELF_SIGNED|DEPTH_ZERO|ERR_TLS|ERR_SSL|HOSTNAME_MISMATCH|ERR_CERT)/;

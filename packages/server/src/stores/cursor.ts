import { ScimError } from "@scimkit/core";
import { isStorableText } from "./text.js";

/**
 * A store's raw keyset cursor: base64url of the last row's sort key and id. The HTTP handler seals it
 * (encrypted and authenticated, http/cursor.ts) before a client sees it (RFC 9865 §5.2).
 */
export function encodeCursor(key: unknown, id: string): string {
  const bytes = new TextEncoder().encode(JSON.stringify([key ?? null, id]));
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

export function decodeCursor(cursor: string): { key: unknown; id: string } {
  try {
    const binary = atob(cursor.replace(/-/g, "+").replace(/_/g, "/"));
    const parsed: unknown = JSON.parse(
      new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0))),
    );
    if (Array.isArray(parsed) && parsed.length === 2 && typeof parsed[1] === "string") {
      const key = parsed[0] === null ? undefined : parsed[0];
      const id = parsed[1];
      if (
        (key === undefined ||
          typeof key === "string" ||
          typeof key === "number" ||
          typeof key === "boolean") &&
        isStorableText(id) &&
        (typeof key !== "string" || isStorableText(key))
      )
        return { key, id };
    }
  } catch {
    // fall through to the error below
  }
  throw invalidCursor();
}

/** The one answer to any cursor a store cannot use, whatever is wrong with it (RFC 9865 §2.1). */
export function invalidCursor(): ScimError {
  return new ScimError({
    status: 400,
    scimType: "invalidCursor",
    detail: "the cursor is not one this server issued (RFC 9865 §2.1)",
  });
}

import { ScimError } from "@scimkit/core";

/** Cursors are opaque to clients (RFC 9865 §2): base64url of the last row's sort key and id. */
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
      if (key === undefined || typeof key === "string" || typeof key === "number" || typeof key === "boolean")
        return { key, id: parsed[1] };
    }
  } catch {
    // fall through to the error below
  }
  throw new ScimError({
    status: 400,
    scimType: "invalidCursor",
    detail: "the cursor is not one this server issued (RFC 9865 §2.1)",
  });
}

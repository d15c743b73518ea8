import { ScimError } from "@scimkit/core";
import type { ScimHandlerOptions } from "./options.js";

/**
 * What a cursor is valid for (RFC 9865 §2: every parameter but the cursor must repeat the initial
 * query's). A cursor sealed for one binding opens for no other: another tenant, resource type, filter
 * or sort is 400 `invalidCursor`.
 *
 * @example
 * const binding: CursorBinding = { tenant: "acme", resourceType: "User", filter: 'userName sw "b"', sortBy: "userName", sortOrder: "ascending" };
 */
export interface CursorBinding {
  readonly tenant: string;
  readonly resourceType: string;
  /** `stringifyFilter` of the parsed filter; "" without one. */
  readonly filter: string;
  /** The canonical attribute path; "" without one. */
  readonly sortBy: string;
  /** "ascending", "descending" or "" when not given. */
  readonly sortOrder: string;
}

/*
 * Format (RFC 9865 §5.2: opaque, unforgeable, URL-safe): base64url( 0x01 ‖ salt[16] ‖ AES-256-GCM(raw) ‖ tag[16] ).
 * - The store's raw keyset cursor (the last row's sort key and id) is encrypted, so a userName never
 *   shows, and GCM's tag authenticates it: one primitive gives opacity and integrity, in crypto.subtle
 *   (every runtime the handler runs on; node:crypto is not available on workers).
 * - The binding is GCM's additional data: checked by the tag without making the cursor longer.
 * - Each cursor gets its own AES key, HKDF-SHA256(secret, salt) with a random 16-byte salt, so no key
 *   ever encrypts twice and the 2^32-messages-per-key bound of random 96-bit GCM nonces (NIST SP
 *   800-38D §8.3) does not apply, however many cursors a long-lived shared secret seals; the IV can
 *   then be fixed.
 * - No expiry: keyset cursors stay meaningful after any change (RFC 9865 `expiredCursor` is not needed).
 */
const VERSION = 1;
const SALT_BYTES = 16;
const TAG_BYTES = 16;
const IV = new Uint8Array(12);
const INFO = new TextEncoder().encode("scimkit cursor v1");
/** Far above any cursor this module issues; longer input is rejected before any decoding. */
const MAX_CURSOR_LENGTH = 8192;
const MIN_SECRET = 32;

const secrets = new WeakMap<ScimHandlerOptions, Promise<CryptoKey>>();

/**
 * Validates `cursorSecret` (a string of at least 32 characters, or at least 32 bytes); throws a
 * `TypeError` naming the option. `createScimHandler` calls it so a bad secret fails at start-up.
 *
 * @example
 * checkCursorSecret({ store, cursorSecret: process.env.SCIM_CURSOR_SECRET });
 */
export function checkCursorSecret(options: Pick<ScimHandlerOptions, "cursorSecret">): void {
  const secret: unknown = options.cursorSecret;
  if (secret === undefined) return;
  if (typeof secret === "string") {
    if (secret.length >= MIN_SECRET) return;
  } else if (secret instanceof Uint8Array) {
    if (secret.byteLength >= MIN_SECRET) return;
  } else {
    throw new TypeError(`cursorSecret must be a string or a Uint8Array, got ${typeof secret}`);
  }
  throw new TypeError(
    `cursorSecret must be at least ${MIN_SECRET} characters (or bytes); generate one with \`openssl rand -base64 32\` and give every instance the same`,
  );
}

function keyOf(options: ScimHandlerOptions): Promise<CryptoKey> {
  let key = secrets.get(options);
  if (key === undefined) {
    checkCursorSecret(options);
    const secret = options.cursorSecret;
    // Without a configured secret, one per handler: its cursors page only on the instance that issued them.
    const bytes =
      secret === undefined
        ? crypto.getRandomValues(new Uint8Array(32))
        : typeof secret === "string"
          ? new TextEncoder().encode(secret)
          : new Uint8Array(secret);
    key = crypto.subtle.importKey("raw", bytes, "HKDF", false, ["deriveKey"]);
    secrets.set(options, key);
  }
  return key;
}

function cursorKey(
  options: ScimHandlerOptions,
  salt: Uint8Array<ArrayBuffer>,
  use: KeyUsage,
): Promise<CryptoKey> {
  return keyOf(options).then((base) =>
    crypto.subtle.deriveKey(
      { name: "HKDF", hash: "SHA-256", salt, info: INFO },
      base,
      { name: "AES-GCM", length: 256 },
      false,
      [use],
    ),
  );
}

function additionalData(binding: CursorBinding): Uint8Array<ArrayBuffer> {
  const { tenant, resourceType, filter, sortBy, sortOrder } = binding;
  return new TextEncoder().encode(JSON.stringify([VERSION, tenant, resourceType, filter, sortBy, sortOrder]));
}

/**
 * Seals a store's raw cursor for the client: opaque, authenticated and bound to the query.
 *
 * @example
 * const nextCursor = await sealCursor(options, binding, page.nextCursor);
 */
export async function sealCursor(
  options: ScimHandlerOptions,
  binding: CursorBinding,
  raw: string,
): Promise<string> {
  const salt = crypto.getRandomValues(new Uint8Array(SALT_BYTES));
  const key = await cursorKey(options, salt, "encrypt");
  const sealed = new Uint8Array(
    await crypto.subtle.encrypt(
      { name: "AES-GCM", iv: IV, additionalData: additionalData(binding), tagLength: TAG_BYTES * 8 },
      key,
      new TextEncoder().encode(raw),
    ),
  );
  const out = new Uint8Array(1 + SALT_BYTES + sealed.byteLength);
  out[0] = VERSION;
  out.set(salt, 1);
  out.set(sealed, 1 + SALT_BYTES);
  return toBase64Url(out);
}

/**
 * Opens a cursor {@link sealCursor} issued for the same binding and returns the store's raw cursor.
 * Anything else — tampered, truncated, sealed with another secret or for another tenant, resource
 * type, filter or sort — is 400 `invalidCursor` with one message for all (RFC 9865 §2.1, §5.2).
 *
 * @example
 * const raw = await openCursor(options, binding, params.cursor);
 */
export async function openCursor(
  options: ScimHandlerOptions,
  binding: CursorBinding,
  cursor: string,
): Promise<string> {
  const bytes = fromBase64Url(cursor);
  if (bytes === undefined || bytes.byteLength < 1 + SALT_BYTES + TAG_BYTES || bytes[0] !== VERSION)
    throw invalidCursor();
  const salt = bytes.slice(1, 1 + SALT_BYTES);
  const key = await cursorKey(options, salt, "decrypt");
  let raw: ArrayBuffer;
  try {
    raw = await crypto.subtle.decrypt(
      { name: "AES-GCM", iv: IV, additionalData: additionalData(binding), tagLength: TAG_BYTES * 8 },
      key,
      bytes.subarray(1 + SALT_BYTES),
    );
  } catch {
    throw invalidCursor();
  }
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(raw);
  } catch {
    throw invalidCursor();
  }
}

/**
 * The one answer for every cursor this server cannot use, so it tells nothing about why (RFC 9865 §5.2).
 *
 * @example
 * throw invalidCursor();
 */
export function invalidCursor(): ScimError {
  return new ScimError({
    status: 400,
    scimType: "invalidCursor",
    detail:
      "the cursor is not one this server issued for this query; send the previous page's nextCursor with the same filter, sortBy and sortOrder, or an empty cursor for the first page (RFC 9865 §2.1)",
  });
}

function toBase64Url(bytes: Uint8Array): string {
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

const BASE64URL = /^[A-Za-z0-9_-]*$/;

function fromBase64Url(text: string): Uint8Array<ArrayBuffer> | undefined {
  if (text.length > MAX_CURSOR_LENGTH || !BASE64URL.test(text) || text.length % 4 === 1) return undefined;
  const binary = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  // One text per cursor: atob ignores the unused low bits of the last character, so compare canonically.
  return toBase64Url(out) === text ? out : undefined;
}

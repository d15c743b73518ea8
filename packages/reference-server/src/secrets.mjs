// Secrets the server generates once and keeps under its data directory (mode 0600), so that a
// restart keeps the bearer token an identity provider was given and the cursors it handed out.
import { randomBytes } from "node:crypto";
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { MIN_SECRET_LENGTH } from "./config.mjs";
import { StartupError } from "./startup-error.mjs";

/**
 * The secret kept in `file`, generated (32 random bytes, base64url) and written with mode 0600 when the
 * file is missing or holds no usable secret. A file other users can read is narrowed to 0600.
 *
 * @param {string} file
 * @returns {{ value: string, created: boolean }}
 */
export function keptSecret(file) {
  let text;
  try {
    text = readFileSync(file, "utf8").trim();
  } catch (error) {
    if (/** @type {NodeJS.ErrnoException} */ (error).code !== "ENOENT") throw unreadable(file, error);
  }
  if (text !== undefined && text.length >= MIN_SECRET_LENGTH) {
    if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
    return { value: text, created: false };
  }
  const value = randomBytes(32).toString("base64url");
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `${value}\n`, { mode: 0o600 });
    chmodSync(file, 0o600);
  } catch (error) {
    throw unreadable(file, error);
  }
  return { value, created: true };
}

/**
 * @param {string} file
 * @param {unknown} error
 */
function unreadable(file, error) {
  const code = /** @type {NodeJS.ErrnoException} */ (error).code;
  return new StartupError(
    `cannot read or write ${file}: ${code ?? String(error)}; check the data directory's permissions`,
  );
}

// The reference server's settings, read from environment variables. Every problem is a StartupError
// with one line that names the variable and says what it accepts.
import { isAbsolute, join, resolve } from "node:path";
import { StartupError } from "./startup-error.mjs";

/** The repository's .data/, where the embedded database, the generated token and the cursor secret live. */
export const DEFAULT_DATA_DIR = join(import.meta.dirname, "..", "..", "..", ".data");

/** Tokens a shell produces when a variable it expands is unset, refused as secrets. */
const PLACEHOLDER_TOKENS = new Set(["undefined", "null"]);
/** Below this a SCIM_TOKEN still starts the server (DESIGN.md's `SCIM_TOKEN=secret pnpm start`), with a warning. */
export const MIN_SECRET_LENGTH = 16;
/** The handler's rule for cursorSecret (an AES-256-GCM seal): at least 32 characters. */
export const MIN_CURSOR_SECRET_LENGTH = 32;

/**
 * @typedef {object} ServerConfig
 * @property {number} port
 * @property {string} host
 * @property {string | undefined} token          SCIM_TOKEN, or undefined to use the one kept in dataDir
 * @property {string | undefined} cursorSecret   SCIM_CURSOR_SECRET, or undefined to use the one kept in dataDir
 * @property {string | undefined} databaseUrl
 * @property {string} dataDir
 * @property {string | undefined} publicUrl
 * @property {boolean} trustProxy
 * @property {number | undefined} maxConnections
 * @property {number} gracePeriod                ms in-flight requests get at shutdown
 * @property {number} bodyTimeout                ms a request body has to arrive
 * @property {{ bodies: "failures" | "all" | "none", maxAgeMs: number, maxCount: number } | false} recording
 *   request recording for the console (SCIM_RECORDING, SCIM_RECORD_BODIES, SCIM_RECORD_MAX_AGE_DAYS, SCIM_RECORD_MAX_COUNT)
 */

/**
 * @param {Record<string, string | undefined>} env
 * @param {string} name
 * @param {{ min: number, max: number }} range
 * @param {number | undefined} fallback
 */
function integer(env, name, range, fallback) {
  const raw = env[name];
  if (raw === undefined || raw.trim() === "") return fallback;
  const value = Number(raw.trim());
  if (!/^\d+$/.test(raw.trim()) || !Number.isSafeInteger(value) || value < range.min || value > range.max) {
    throw new StartupError(
      `${name} must be a whole number from ${range.min} to ${range.max} (got ${JSON.stringify(raw)})`,
    );
  }
  return value;
}

/**
 * @param {Record<string, string | undefined>} env
 * @param {string} name
 * @param {string} what
 * @param {number} min
 */
function secret(env, name, what, min) {
  const raw = env[name];
  if (raw === undefined || raw === "") return undefined;
  if (PLACEHOLDER_TOKENS.has(raw.trim().toLowerCase())) {
    throw new StartupError(
      `${name} is ${JSON.stringify(raw)}, which looks like an unset shell variable; set ${what} or unset ${name}`,
    );
  }
  if (/\s/.test(raw)) throw new StartupError(`${name} holds whitespace; set ${what}`);
  if (raw.length < min) {
    throw new StartupError(
      `${name} is ${raw.length} characters long; use at least ${min} (e.g. \`openssl rand -base64 32\`), or unset it to have one generated`,
    );
  }
  return raw;
}

/**
 * @param {Record<string, string | undefined>} env
 * @returns {boolean}
 */
function trustProxy(env) {
  const raw = (env.TRUST_PROXY ?? "").trim().toLowerCase();
  if (raw === "" || raw === "0" || raw === "false" || raw === "no") return false;
  if (raw === "1" || raw === "true" || raw === "yes") return true;
  throw new StartupError(`TRUST_PROXY must be 1 or 0 (got ${JSON.stringify(env.TRUST_PROXY)})`);
}

/**
 * @param {Record<string, string | undefined>} env
 * @returns {string | undefined}
 */
function publicUrl(env) {
  const raw = env.PUBLIC_URL?.trim();
  if (!raw) return undefined;
  let url;
  try {
    url = new URL(raw);
  } catch {
    throw new StartupError(
      `PUBLIC_URL must be an absolute URL such as https://scim.example.com/scim/v2 (got ${JSON.stringify(raw)})`,
    );
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new StartupError(`PUBLIC_URL must start with https:// or http:// (got ${JSON.stringify(raw)})`);
  }
  if (url.search || url.hash) throw new StartupError("PUBLIC_URL must not have a query or a fragment");
  if (url.username || url.password)
    throw new StartupError("PUBLIC_URL must not hold a user name or password; give the plain base URL");
  return raw.replace(/\/+$/, "");
}

/**
 * @param {Record<string, string | undefined>} env
 * @returns {string | undefined}
 */
function databaseUrl(env) {
  const raw = env.DATABASE_URL?.trim();
  if (!raw) return undefined;
  let url;
  try {
    url = new URL(raw);
  } catch {
    throw new StartupError("DATABASE_URL is not a URL; expected postgres://user:password@host:5432/database");
  }
  if (url.protocol !== "postgres:" && url.protocol !== "postgresql:") {
    throw new StartupError(`DATABASE_URL must start with postgres:// (got ${url.protocol}//…)`);
  }
  return raw;
}

/**
 * Request recording (the console's data): on unless SCIM_RECORDING=0; bodies of failures unless
 * SCIM_RECORD_BODIES says all or none; kept 7 days and 100,000 requests unless SCIM_RECORD_MAX_AGE_DAYS
 * / SCIM_RECORD_MAX_COUNT say otherwise.
 *
 * @param {Record<string, string | undefined>} env
 * @returns {ServerConfig["recording"]}
 */
function recording(env) {
  const on = (env.SCIM_RECORDING ?? "").trim().toLowerCase();
  if (on === "0" || on === "false" || on === "no" || on === "off") return false;
  if (on !== "" && on !== "1" && on !== "true" && on !== "yes" && on !== "on")
    throw new StartupError(`SCIM_RECORDING must be 1 or 0 (got ${JSON.stringify(env.SCIM_RECORDING)})`);
  const bodies = (env.SCIM_RECORD_BODIES ?? "").trim().toLowerCase() || "failures";
  if (bodies !== "failures" && bodies !== "all" && bodies !== "none")
    throw new StartupError(
      `SCIM_RECORD_BODIES must be failures, all or none (got ${JSON.stringify(env.SCIM_RECORD_BODIES)})`,
    );
  const days = /** @type {number} */ (integer(env, "SCIM_RECORD_MAX_AGE_DAYS", { min: 1, max: 3650 }, 7));
  const maxCount = /** @type {number} */ (
    integer(env, "SCIM_RECORD_MAX_COUNT", { min: 1, max: 100_000_000 }, 100_000)
  );
  return { bodies, maxAgeMs: days * 86_400_000, maxCount };
}

/**
 * Reads the configuration from the environment.
 *
 * @param {Record<string, string | undefined>} env
 * @param {string} [cwd]
 * @returns {ServerConfig}
 */
export function readConfig(env, cwd = process.cwd()) {
  const host = (env.HOST ?? "").trim() || "127.0.0.1";
  if (/[\s/]/.test(host)) {
    throw new StartupError(
      `HOST must be an address or host name such as 127.0.0.1 or 0.0.0.0 (got ${JSON.stringify(host)})`,
    );
  }
  const dataDirRaw = env.SCIM_DATA_DIR?.trim();
  const dataDir = dataDirRaw
    ? isAbsolute(dataDirRaw)
      ? dataDirRaw
      : resolve(cwd, dataDirRaw)
    : DEFAULT_DATA_DIR;
  return {
    port: /** @type {number} */ (integer(env, "PORT", { min: 0, max: 65_535 }, 8080)),
    host,
    // A short SCIM_TOKEN is allowed (a local demo's `SCIM_TOKEN=secret`); main.mjs warns about it.
    token: secret(env, "SCIM_TOKEN", "a random token of at least 16 characters", 1),
    cursorSecret: secret(
      env,
      "SCIM_CURSOR_SECRET",
      `a random secret of at least ${MIN_CURSOR_SECRET_LENGTH} characters`,
      MIN_CURSOR_SECRET_LENGTH,
    ),
    databaseUrl: databaseUrl(env),
    dataDir,
    publicUrl: publicUrl(env),
    trustProxy: trustProxy(env),
    maxConnections: integer(env, "MAX_CONNECTIONS", { min: 1, max: 1_000_000 }, undefined),
    gracePeriod: /** @type {number} */ (
      integer(env, "SHUTDOWN_GRACE_MS", { min: 0, max: 3_600_000 }, 10_000)
    ),
    bodyTimeout: /** @type {number} */ (integer(env, "BODY_TIMEOUT_MS", { min: 0, max: 3_600_000 }, 30_000)),
    recording: recording(env),
  };
}

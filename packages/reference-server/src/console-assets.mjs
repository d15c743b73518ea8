// Serves the provisioning console (packages/console, built by `pnpm build`) at http://HOST:PORT/,
// outside the SCIM base path, with a Content-Security-Policy that allows nothing inline and nothing
// from another origin (issue 14). The console reads the SCIM API and its read API with the token the
// operator types in; these files are public (they hold no data).
import { readFile } from "node:fs/promises";
import { extname, join, normalize, sep } from "node:path";

/** The console's built files, beside this package in the workspace. */
export const CONSOLE_DIST = join(import.meta.dirname, "..", "..", "console", "dist");

/**
 * `default-src 'none'`, then only what the console uses, from this origin: its script and style
 * files, the favicon, and fetch to the SCIM API. No 'unsafe-inline', no 'unsafe-eval'.
 */
export const CONSOLE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".json": "application/json; charset=utf-8",
};

/**
 * A handler for everything outside `basePath`: the console's files (`/` is index.html), each with
 * the CSP and the usual hardening headers. Hashed files under `/assets/` are cached for a year;
 * index.html is revalidated so a rebuilt console is picked up.
 *
 * @param {string} [dir]
 * @returns {(request: Request) => Promise<Response>}
 */
export function consoleAssets(dir = CONSOLE_DIST) {
  return async (request) => {
    const method = request.method.toUpperCase();
    if (method !== "GET" && method !== "HEAD")
      return text(405, `${method} is not allowed here; the console's files are read with GET`, {
        allow: "GET, HEAD",
      });
    let path;
    try {
      path = decodeURIComponent(new URL(request.url).pathname);
    } catch {
      return text(400, "the path is not valid percent-encoding");
    }
    if (path === "/") path = "/index.html";
    const file = normalize(join(dir, path));
    const type = TYPES[/** @type {keyof typeof TYPES} */ (extname(file))];
    if (!file.startsWith(dir + sep) || path.includes("\0") || !type)
      return text(404, `no console file at ${path}`);
    let body;
    try {
      body = await readFile(file);
    } catch (error) {
      const code = /** @type {NodeJS.ErrnoException} */ (error).code;
      if (path === "/index.html" && code === "ENOENT")
        return text(
          503,
          "the console is not built: run `pnpm build` (or `pnpm start`, which builds) and reload",
        );
      if (code === "ENOENT" || code === "EISDIR") return text(404, `no console file at ${path}`);
      throw error;
    }
    return new Response(method === "HEAD" ? null : body, {
      status: 200,
      headers: {
        ...securityHeaders(),
        "content-type": type,
        "content-length": String(body.byteLength),
        "cache-control": path.startsWith("/assets/") ? "public, max-age=31536000, immutable" : "no-cache",
      },
    });
  };
}

/**
 * The key under which `createScimHandler` exposes its Request-free entry (internal to @scimkit/server,
 * a `Symbol.for` key so that it is the same symbol here): what `toNodeListener` calls for a GET or HEAD
 * instead of building a WHATWG `Request` (issue 16).
 */
const INCOMING_ENTRY = Symbol.for("@scimkit/server:incoming-entry");

/**
 * Routes requests under `basePath` to the SCIM handler and everything else to the console's files.
 * When the handler is one `createScimHandler` made, the result has its Request-free entry too, routed
 * the same way: SCIM requests reach it with nothing built, as they would without the console (the
 * console's files are served from the `Request` the entry's request builds on demand).
 *
 * @param {(request: Request) => Promise<Response>} handler
 * @param {string} basePath
 * @param {(request: Request) => Promise<Response>} [assets]
 * @returns {(request: Request) => Promise<Response>}
 */
export function withConsole(handler, basePath, assets = consoleAssets()) {
  /** @param {string} pathname */
  const isScim = (pathname) => pathname === basePath || pathname.startsWith(`${basePath}/`);
  /** @param {Request} request */
  const routed = (request) => (isScim(new URL(request.url).pathname) ? handler(request) : assets(request));
  // What serve()'s close awaits before the store closes: the handler's last records (ScimHandler.drain).
  const drain = /** @type {{ drain?: unknown }} */ (handler).drain;
  if (typeof drain === "function") Object.assign(routed, { drain: () => drain.call(handler) });
  const entry = /** @type {Record<symbol, unknown>} */ (/** @type {unknown} */ (handler))[INCOMING_ENTRY];
  if (typeof entry !== "function") return routed;
  /** @param {{ url: string, parsed?: URL, request: Request }} incoming */
  const routedEntry = (incoming) => {
    let pathname;
    try {
      pathname = (incoming.parsed ?? new URL(incoming.url)).pathname;
    } catch {
      // Not a URL: the SCIM handler answers it (400).
      return entry(incoming);
    }
    return isScim(pathname) ? entry(incoming) : assets(incoming.request);
  };
  return Object.assign(routed, { [INCOMING_ENTRY]: routedEntry });
}

function securityHeaders() {
  return {
    "content-security-policy": CONSOLE_CSP,
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "cross-origin-opener-policy": "same-origin",
  };
}

/**
 * @param {number} status
 * @param {string} message
 * @param {Record<string, string>} [headers]
 */
function text(status, message, headers = {}) {
  return new Response(`${message}\n`, {
    status,
    headers: { ...securityHeaders(), "content-type": "text/plain; charset=utf-8", ...headers },
  });
}

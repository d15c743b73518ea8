/**
 * The absolute base URL of the SCIM endpoints for one request: what `meta.location`, `Location`, `$ref`
 * and bulk `location` start with (RFC 7644 §3.1, RFC 7643 §3.1). `publicUrl` fixes it; otherwise it is the
 * request's origin — or, with `trustProxy`, the origin a reverse proxy reports — plus `basePath`.
 */

/** `publicUrl` checked and normalized (no trailing slash); a wrong one is a programming error. */
export function publicBase(publicUrl: string | undefined): string | undefined {
  if (publicUrl === undefined) return undefined;
  const problem = (why: string, shown: string = JSON.stringify(publicUrl)) =>
    new TypeError(
      `createScimHandler: publicUrl ${shown} ${why}; give the absolute URL the identity provider is configured with, such as "https://scim.example.com/scim/v2"`,
    );
  let url: URL;
  try {
    url = new URL(publicUrl);
  } catch {
    throw problem("is not an absolute URL");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    throw problem("must start with https:// or http://");
  // Not echoed: the credentials would end up in a log.
  if (url.username !== "" || url.password !== "") throw problem("must not hold credentials", `(${url.host})`);
  if (url.search !== "" || url.hash !== "") throw problem("must not have a query or a fragment");
  return `${url.origin}${url.pathname.replace(/\/+$/, "")}`;
}

/** A host as RFC 3986 §3.2.2 allows it in a URL authority (reg-name of DNS labels, IPv4, [IPv6]), with an optional port. */
const HOST =
  /^(?:\[[0-9a-f:.]+\]|[a-z0-9_](?:[a-z0-9_-]{0,62})(?:\.[a-z0-9_](?:[a-z0-9_-]{0,62}))*\.?)(?::(\d{1,5}))?$/i;

/** `http` or `https` in lower case, else undefined. */
function schemeOf(proto: string | undefined): string | undefined {
  const scheme = proto?.toLowerCase();
  return scheme === "http" || scheme === "https" ? scheme : undefined;
}

/** `host[:port]` when it is nothing but a host and a port. */
function hostOf(host: string | undefined): string | undefined {
  if (host === undefined || host.length > 260) return undefined;
  const match = HOST.exec(host);
  if (!match || (match[1] !== undefined && Number(match[1]) > 65_535)) return undefined;
  try {
    const url = new URL(`http://${host}`);
    // The parser must have taken the whole value as host and port: nothing as a path or userinfo.
    return url.pathname === "/" && url.username === "" && url.password === "" ? host : undefined;
  } catch {
    return undefined;
  }
}

/** Splits on `separator` outside quoted-strings (RFC 9110 §5.6.4). */
function splitOutsideQuotes(text: string, separator: string): string[] {
  const parts: string[] = [];
  let current = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (quoted && c === "\\") {
      current += c + (text[i + 1] ?? "");
      i++;
      continue;
    }
    if (c === '"') quoted = !quoted;
    if (c === separator && !quoted) {
      parts.push(current);
      current = "";
    } else current += c;
  }
  parts.push(current);
  return parts;
}

/**
 * `proto` and `host` of the first element of a `Forwarded` header (RFC 7239 §4): the one the proxy
 * nearest the client added, so the origin the client used. Values may be tokens or quoted-strings.
 */
export function parseForwarded(header: string): { proto?: string; host?: string } {
  const first = splitOutsideQuotes(header, ",")[0] ?? "";
  const out: { proto?: string; host?: string } = {};
  for (const pair of splitOutsideQuotes(first, ";")) {
    const eq = pair.indexOf("=");
    if (eq < 0) continue;
    const name = pair.slice(0, eq).trim().toLowerCase();
    let value = pair.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"') && value.length >= 2)
      value = value.slice(1, -1).replace(/\\(.)/g, "$1");
    if ((name === "proto" || name === "host") && out[name] === undefined) out[name] = value;
  }
  return out;
}

/** The first value of a comma-separated `X-Forwarded-*` header, trimmed. */
function firstValue(header: string | null): string | undefined {
  if (header === null) return undefined;
  const value = (header.split(",")[0] ?? "").trim();
  return value === "" ? undefined : value;
}

/**
 * The origin the client used, from `Forwarded` (RFC 7239), else `X-Forwarded-Proto` / `X-Forwarded-Host`,
 * each part falling back to the request's own. A proto other than `http`/`https` or a host that is not a
 * plain `host[:port]` is ignored, so nothing a client slips into these headers reaches a location.
 */
export function forwardedOrigin(request: Request, own: URL): string {
  const forwarded = request.headers.get("forwarded");
  const fromForwarded = forwarded === null ? {} : parseForwarded(forwarded);
  const scheme =
    schemeOf(fromForwarded.proto) ??
    schemeOf(firstValue(request.headers.get("x-forwarded-proto"))) ??
    own.protocol.slice(0, -1);
  const host =
    hostOf(fromForwarded.host) ?? hostOf(firstValue(request.headers.get("x-forwarded-host"))) ?? own.host;
  try {
    // Parsed again so the origin is normalized: lower case, no default port (https://h:443).
    return new URL(`${scheme}://${host}`).origin;
  } catch {
    return own.origin;
  }
}

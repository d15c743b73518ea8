import { parseJsonText } from "@scimkit/core";
import {
  errorCode,
  mediaType,
  quoteServerText,
  RESET_CODES,
  readBody,
  statusLine,
  TLS_CODES,
} from "./fetch-response.js";

/** How long one request may take, headers and body, unless `timeoutMs` says otherwise. @example DEFAULT_FETCH_TIMEOUT_MS; // 30000 */
export const DEFAULT_FETCH_TIMEOUT_MS = 30_000;

/** Larger answers are refused: schema lists are kilobytes, not tens of megabytes. */
const MAX_BODY_BYTES = 32 * 1024 * 1024;
/** More definitions than this in one list are refused (a server paging forever, or hostile output). */
const MAX_DEFINITIONS = 10_000;
const ACCEPT = "application/scim+json, application/json;q=0.9";
/** The attributes RFC 7643 §3 and §3.1 define for every resource, which some servers repeat in base schemas. */
const COMMON_ATTRIBUTE_NAMES = ["schemas", "id", "externalId", "meta"];

/**
 * Options of {@link fetchSchemas}.
 *
 * @example
 * const options: FetchSchemasOptions = { url: "https://example.com/scim/v2", token: process.env.SCIM_TOKEN };
 */
export interface FetchSchemasOptions {
  /** The SCIM service root: the URL that `/Schemas`, `/ResourceTypes` and `/Users` are under. */
  readonly url: string;
  /** Bearer token (RFC 6750), sent as `Authorization: Bearer …`. Never part of any message. */
  readonly token?: string;
  /** Time limit of each request in milliseconds (default {@link DEFAULT_FETCH_TIMEOUT_MS}). */
  readonly timeoutMs?: number;
}

/**
 * One schema or resource type as a server returned it, made ready for the loader (see
 * {@link fetchSchemas}), with where it came from.
 *
 * @example
 * const { value, file, pointer } = fetched.schemas[0]; // file: "https://example.com/scim/v2/Schemas", pointer: "/Resources/0"
 */
export interface FetchedDefinition {
  /** The JSON object, without `meta`, members whose value is `null` and, in a base schema, the common attributes. */
  readonly value: unknown;
  /** The URL it came from, without query string or credentials (the `file` of error messages). */
  readonly file: string;
  /** JSON pointer (RFC 6901) of the definition in that answer. */
  readonly pointer: string;
  /** When common attributes were left out: for each attribute of `value`, its index in the server's answer. */
  readonly attributeIndexes?: readonly number[];
}

/**
 * What {@link fetchSchemas} read from a SCIM server.
 *
 * @example
 * const fetched = await fetchSchemas({ url: "http://localhost:8080/scim/v2" });
 * fetched.resourceTypes.length; // 2
 */
export interface FetchedSchemas {
  /** The service root, without query string or credentials. */
  readonly url: string;
  /** `GET /Schemas`, every page, in the server's order (repeats of an identical definition dropped). */
  readonly schemas: readonly FetchedDefinition[];
  /** `GET /ResourceTypes`, every page, in the server's order. */
  readonly resourceTypes: readonly FetchedDefinition[];
  /** What was changed or may be missing, one sentence each (the CLI prints them as notes). */
  readonly notes: readonly string[];
}

/**
 * A SCIM server could not be asked for its schemas, or its answer is not a schema list. The message
 * says what happened, the URL (without query string) and, for an answer, its status, content type and
 * size; it never contains the token.
 *
 * @example
 * try { await fetchSchemas({ url }) } catch (e) { if (e instanceof SchemaFetchError) console.error(e.message, e.status) }
 */
export class SchemaFetchError extends Error {
  override name = "SchemaFetchError" as const;
  /** The URL requested, without query string or credentials. */
  readonly url: string;
  /** The HTTP status, when the server answered. */
  readonly status?: number;

  constructor(message: string, options: { url: string; status?: number; cause?: unknown }) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.url = options.url;
    if (options.status !== undefined) this.status = options.status;
  }
}

/**
 * Checks a SCIM service root URL: absolute `http:` or `https:`, no user name or password, not ending in
 * `/Schemas` or `/ResourceTypes`. Returns the URL with its hash removed; throws a {@link SchemaFetchError}
 * that does not repeat the text given (it may hold a secret).
 *
 * @example
 * serviceRoot("http://localhost:8080/scim/v2/").href; // "http://localhost:8080/scim/v2/"
 */
export function serviceRoot(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new SchemaFetchError(
      "the service URL is not an absolute URL; pass the SCIM service root, e.g. https://example.com/scim/v2",
      { url: "" },
    );
  }
  const shown = displayUrl(url);
  if (url.protocol !== "http:" && url.protocol !== "https:")
    throw new SchemaFetchError(
      `the service URL uses ${url.protocol} where http: or https: is needed; pass the SCIM service root, e.g. https://example.com/scim/v2`,
      { url: "" },
    );
  if (url.username !== "" || url.password !== "")
    throw new SchemaFetchError(
      `the service URL ${shown} has a user name or password in it; pass a bearer token with --token or SCIM_TOKEN instead`,
      { url: shown },
    );
  const endpoint = /\/(Schemas|ResourceTypes)\/*$/i.exec(url.pathname)?.[1];
  if (endpoint !== undefined)
    throw new SchemaFetchError(
      `the service URL ${shown} ends in /${endpoint}; pass the SCIM service root it is under (scimkit asks for /Schemas and /ResourceTypes itself)`,
      { url: shown },
    );
  url.hash = "";
  return url;
}

/**
 * A bearer token as it is sent: trimmed, `undefined` when empty. Throws a {@link SchemaFetchError}, which
 * does not repeat the token, when it holds characters an `Authorization` header cannot carry.
 *
 * @example
 * bearerToken(" abc.def \n"); // "abc.def"
 */
export function bearerToken(token: string | undefined): string | undefined {
  const trimmed = token?.trim();
  if (trimmed === undefined || trimmed === "") return undefined;
  if (!/^[\x21-\x7e]+$/.test(trimmed))
    throw new SchemaFetchError(
      "the token holds spaces, control or non-ASCII characters, which cannot be sent in an Authorization header",
      { url: "" },
    );
  return trimmed;
}

/** `origin + path`: a URL as messages show it, without query string, hash or credentials. */
function displayUrl(url: URL): string {
  return `${url.origin}${url.pathname}`;
}

/** `{root}/{endpoint}`, keeping the root's query string (some gateways authenticate with one). */
function endpointUrl(root: URL, endpoint: string, page?: { startIndex: number; count: number }): URL {
  const url = new URL(root.href);
  url.pathname = `${root.pathname.replace(/\/+$/, "")}/${endpoint}`;
  if (page) {
    url.searchParams.set("startIndex", String(page.startIndex));
    url.searchParams.set("count", String(page.count));
  }
  return url;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Reads the schemas and resource types of a SCIM server: `GET {url}/ResourceTypes` and
 * `GET {url}/Schemas` (RFC 7644 §4) with `Accept: application/scim+json, application/json;q=0.9` and
 * the bearer token, following `startIndex` pagination when a server pages them (RFC 7644 §3.4.2.4) and
 * accepting a bare JSON array as well as a ListResponse (§3.4.2).
 *
 * What a live server adds is left out, so the loader sees what a schema file holds: `meta` (the
 * Schema or ResourceType resource's own metadata, not part of the definition, RFC 7643 §6, §7),
 * members whose value is `null` (unassigned, RFC 7643 §2.5) and, in the base schema of a resource type,
 * the common attributes `schemas`, `id`, `externalId` and `meta`, whose RFC 7643 §3.1 definitions take
 * precedence over a schema's. Definitions are checked by {@link parseFetched}, not here.
 *
 * @throws SchemaFetchError when the server cannot be reached, refuses the token, answers an error or
 *   something that is not a schema list, or lists no resource types.
 *
 * @example
 * const fetched = await fetchSchemas({ url: "http://localhost:8080/scim/v2", token: process.env.SCIM_TOKEN });
 * const model = resolveModel(parseFetched(fetched), { origin: "the server's /Schemas" });
 */
export async function fetchSchemas(options: FetchSchemasOptions): Promise<FetchedSchemas> {
  const root = serviceRoot(options.url);
  const token = bearerToken(options.token);
  const timeoutMs = options.timeoutMs ?? DEFAULT_FETCH_TIMEOUT_MS;
  if (!(timeoutMs > 0)) throw new RangeError("timeoutMs must be a positive number of milliseconds");
  const session = new Session(root, token, timeoutMs);
  const notes: string[] = [];

  const resourceTypes = await session.list("ResourceTypes", "resource types", "name", notes);
  if (resourceTypes.length === 0)
    throw new SchemaFetchError(
      `GET ${displayUrl(endpointUrl(root, "ResourceTypes"))} listed no resource types, so there is nothing to generate: a SCIM server lists the resource types it serves (Users, Groups, …) there (RFC 7644 §4)`,
      { url: displayUrl(endpointUrl(root, "ResourceTypes")) },
    );
  const baseIds = new Set(
    resourceTypes.flatMap((t) =>
      isRecord(t.value) && typeof t.value.schema === "string" ? [t.value.schema.toLowerCase()] : [],
    ),
  );
  const schemas = (await session.list("Schemas", "schemas", "id", notes)).map((s) =>
    withoutCommonAttributes(s, baseIds, notes),
  );
  return { url: displayUrl(root), schemas, resourceTypes, notes };
}

/** Deeper than any schema definition (complex attributes nest at most 4 levels), shallow enough to be safe. */
const MAX_JSON_DEPTH = 64;

/**
 * Drops object members whose value is null, at every depth (RFC 7643 §2.5: null is unassigned);
 * `undefined` when the value nests deeper than {@link MAX_JSON_DEPTH}.
 */
function withoutNulls(value: unknown, depth = 0): unknown {
  if (depth > MAX_JSON_DEPTH) return undefined;
  if (Array.isArray(value)) {
    const items = value.map((v) => withoutNulls(v, depth + 1));
    return items.includes(undefined) ? undefined : items;
  }
  if (!isRecord(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, member] of Object.entries(value)) {
    if (member === null) continue;
    const kept = withoutNulls(member, depth + 1);
    if (kept === undefined) return undefined;
    out[key] = kept;
  }
  return out;
}

function withoutCommonAttributes(
  item: FetchedDefinition,
  baseIds: ReadonlySet<string>,
  notes: string[],
): FetchedDefinition {
  const { value } = item;
  if (!isRecord(value) || typeof value.id !== "string" || !baseIds.has(value.id.toLowerCase())) return item;
  if (!Array.isArray(value.attributes)) return item;
  const common = new Set(COMMON_ATTRIBUTE_NAMES.map((n) => n.toLowerCase()));
  const kept: unknown[] = [];
  const attributeIndexes: number[] = [];
  const dropped: string[] = [];
  value.attributes.forEach((attribute, i) => {
    const name = isRecord(attribute) && typeof attribute.name === "string" ? attribute.name : undefined;
    if (name !== undefined && common.has(name.toLowerCase())) dropped.push(name);
    else {
      kept.push(attribute);
      attributeIndexes.push(i);
    }
  });
  if (dropped.length === 0) return item;
  notes.push(
    `schema ${value.id} lists the common attributes ${dropped.join(", ")}; they are left out, since every resource has them with the characteristics of RFC 7643 §3 and §3.1, which take precedence`,
  );
  return { ...item, value: { ...value, attributes: kept }, attributeIndexes };
}

class Session {
  constructor(
    readonly root: URL,
    readonly token: string | undefined,
    readonly timeoutMs: number,
  ) {}

  /** Every definition of one list endpoint, following startIndex pagination. */
  async list(
    endpoint: "Schemas" | "ResourceTypes",
    what: string,
    key: "id" | "name",
    notes: string[],
  ): Promise<FetchedDefinition[]> {
    const items: FetchedDefinition[] = [];
    const seen = new Map<string, string>();
    let page: { startIndex: number; count: number } | undefined;
    for (;;) {
      const url = endpointUrl(this.root, endpoint, page);
      const shown = displayUrl(url);
      const file = page ? `${shown} (page at startIndex ${page.startIndex})` : shown;
      const { body, status } = await this.getJson(url, page);
      let resources: unknown[];
      let at: string;
      if (Array.isArray(body)) {
        resources = body;
        at = "";
      } else if (isRecord(body) && Array.isArray(body.Resources)) {
        resources = body.Resources;
        at = "/Resources";
      } else if (isRecord(body) && body.Resources === undefined && body.totalResults === 0) {
        // RFC 7644 §3.4.2: "Resources" is REQUIRED only when totalResults is not 0.
        resources = [];
        at = "/Resources";
      } else {
        throw new SchemaFetchError(
          `GET ${shown} answered ${this.describeJson(body)}, not a list of ${what}: expected a ListResponse with "Resources" (RFC 7644 §3.4.2) or a JSON array. Is ${displayUrl(this.root)} the SCIM service root?`,
          { url: shown, status },
        );
      }
      let added = 0;
      resources.forEach((raw, i) => {
        const value = withoutNulls(raw);
        if (value === undefined)
          throw new SchemaFetchError(
            `GET ${shown}: ${at}/${i} nests more than ${MAX_JSON_DEPTH} levels deep, far deeper than a schema definition`,
            { url: shown, status },
          );
        if (isRecord(value)) delete value.meta;
        const name = isRecord(value) && typeof value[key] === "string" ? value[key].toLowerCase() : undefined;
        if (name !== undefined) {
          const serialized = JSON.stringify(value);
          const previous = seen.get(name);
          if (previous === serialized) return; // the same definition again: pages that overlap
          if (previous === undefined) seen.set(name, serialized);
        }
        items.push({ value, file, pointer: `${at}/${i}` });
        added++;
      });
      if (items.length > MAX_DEFINITIONS)
        throw new SchemaFetchError(
          `GET ${shown}: more than ${MAX_DEFINITIONS} ${what}; this is not a schema list scimkit can use`,
          { url: shown, status },
        );
      if (!isRecord(body)) break;
      const total = body.totalResults;
      if (typeof total !== "number" || items.length >= total) break;
      if (resources.length === 0 || (page !== undefined && added === 0)) {
        notes.push(
          `GET ${shown} reported totalResults ${total} but returned ${items.length} ${what}${page ? ` (the page at startIndex ${page.startIndex} added none)` : ""}; generating from those`,
        );
        break;
      }
      const start =
        typeof body.startIndex === "number" && Number.isInteger(body.startIndex) && body.startIndex >= 1
          ? body.startIndex
          : (page?.startIndex ?? 1);
      page = { startIndex: start + resources.length, count: page?.count ?? resources.length };
    }
    return items;
  }

  /** One GET; the parsed JSON body of a 2xx answer, or a SchemaFetchError saying what came back. */
  async getJson(
    url: URL,
    page: { startIndex: number } | undefined,
  ): Promise<{ body: unknown; status: number }> {
    const shown = displayUrl(url);
    const request = `GET ${shown}${page ? ` (startIndex ${page.startIndex})` : ""}`;
    const headers: Record<string, string> = { accept: ACCEPT };
    if (this.token !== undefined) headers.authorization = `Bearer ${this.token}`;
    let response: Response;
    let bytes: Uint8Array | undefined;
    for (let attempt = 1; ; attempt++) {
      try {
        const signal = AbortSignal.timeout(this.timeoutMs);
        response = await fetch(url, { headers, signal, redirect: "follow" });
        bytes = await readBody(response, MAX_BODY_BYTES);
        break;
      } catch (error) {
        // A kept-alive connection the server closed just as it was reused: GET is safe to send again, once.
        if (attempt === 1 && RESET_CODES.has(errorCode(error) ?? "")) continue;
        throw new SchemaFetchError(`${request}: ${this.networkProblem(error, url)}`, {
          url: shown,
          cause: error,
        });
      }
    }
    const { status } = response;
    const type = mediaType(response);
    if (bytes === undefined)
      throw new SchemaFetchError(
        `${request} answered ${statusLine(status)} with ${type} larger than ${MAX_BODY_BYTES / 1024 / 1024} MiB; that is not a schema list`,
        { url: shown, status },
      );
    const text = new TextDecoder().decode(bytes);
    const what = `${type} (${bytes.byteLength} bytes)`;
    const parsed = parseJsonText(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
    if (status === 401 || status === 403) {
      const detail = this.scimDetail(parsed);
      throw new SchemaFetchError(
        this.token === undefined
          ? `${request} answered ${statusLine(status)}${detail}: the server wants a bearer token; pass --token or set SCIM_TOKEN`
          : `${request} answered ${statusLine(status)}${detail}: the server refused the token; check --token or SCIM_TOKEN (the token is never printed)`,
        { url: shown, status },
      );
    }
    if (status < 200 || status > 299) {
      const hint =
        status === 404
          ? `. Is ${displayUrl(this.root)} the SCIM service root (the URL /Users, /Schemas and /ResourceTypes are under, e.g. https://example.com/scim/v2)?`
          : "";
      throw new SchemaFetchError(
        `${request} answered ${statusLine(status)} with ${what}${this.scimDetail(parsed)}${hint}`,
        { url: shown, status },
      );
    }
    if (!parsed.ok) {
      const json = /json/.test(type);
      throw new SchemaFetchError(
        bytes.byteLength === 0
          ? `${request} answered ${statusLine(status)} with an empty body, not SCIM JSON`
          : `${request} answered ${statusLine(status)} with ${what}, which is not JSON${json ? ` (line ${parsed.fault.line}, column ${parsed.fault.column}: ${parsed.fault.message})` : ""}; expected SCIM JSON (application/scim+json). Is ${displayUrl(this.root)} the SCIM service root?`,
        { url: shown, status },
      );
    }
    return { body: parsed.value, status };
  }

  /** `: "detail"` of a SCIM error body (RFC 7644 §3.12), or "". */
  scimDetail(parsed: ReturnType<typeof parseJsonText>): string {
    if (!parsed.ok || !isRecord(parsed.value)) return "";
    const { detail, scimType } = parsed.value;
    const parts = [
      typeof scimType === "string" ? `scimType ${quoteServerText(scimType, this.token, 40)}` : "",
      typeof detail === "string" ? `"${quoteServerText(detail, this.token)}"` : "",
    ].filter((p) => p !== "");
    return parts.length ? ` (${parts.join(": ")})` : "";
  }

  describeJson(value: unknown): string {
    if (Array.isArray(value)) return "a JSON array";
    if (!isRecord(value)) return value === null ? "JSON null" : `a JSON ${typeof value}`;
    const keys = Object.keys(value);
    if (keys.length === 0) return "an empty JSON object";
    const listed = keys
      .slice(0, 5)
      .map((k) => `"${quoteServerText(k, this.token, 40)}"`)
      .join(", ");
    return `a JSON object with ${keys.length > 5 ? `${listed}, …` : listed}`;
  }

  networkProblem(error: unknown, url: URL): string {
    const host = url.host;
    const name = (error as { name?: unknown } | null)?.name;
    if (name === "TimeoutError" || name === "AbortError")
      return `no answer from ${host} within ${this.timeoutMs / 1000} s`;
    const code = errorCode(error);
    switch (code) {
      case "ECONNREFUSED":
        return `cannot connect to ${host}: connection refused. Is the SCIM server running, and are the host and port right?`;
      case "ENOTFOUND":
      case "EAI_AGAIN":
        return `cannot resolve the host name ${url.hostname}`;
      case "ECONNRESET":
      case "EPIPE":
      case "UND_ERR_SOCKET":
        return `${host} closed the connection before it answered`;
      case "ETIMEDOUT":
      case "UND_ERR_CONNECT_TIMEOUT":
        return `timed out connecting to ${host}`;
      case "EHOSTUNREACH":
      case "ENETUNREACH":
        return `${host} is unreachable from here`;
    }
    const cause = (error as { cause?: unknown } | null)?.cause;
    const message = cause instanceof Error ? cause.message : error instanceof Error ? error.message : "";
    if (code !== undefined && TLS_CODES.test(code))
      return `the TLS connection to ${host} failed (${code}): ${quoteServerText(message, this.token)}`;
    return `cannot reach ${host}${code ? ` (${code})` : ""}: ${quoteServerText(message, this.token)}`;
  }
}

import { type Exchange, field, resourcesOf, sendRequest } from "./http.js";
import { CHECKS } from "./registry.js";
import type {
  Check,
  CheckContext,
  CheckProfile,
  CheckResult,
  ConformanceReport,
  Discovery,
  SendOptions,
} from "./types.js";

/** Options of {@link runConformance}. */
export interface ConformanceOptions {
  /** Base URL of the SCIM server, e.g. "https://host/scim/v2". */
  readonly url: string;
  /** Bearer token; it is sent only in the Authorization header and never appears in a report. */
  readonly token: string;
  /** Which checks run. Default "rfc". */
  readonly profile?: CheckProfile | "all";
  /** Run only the checks that create nothing (for production servers). Default false. */
  readonly readOnly?: boolean;
  /** fetch to send requests with. Default globalThis.fetch. */
  readonly fetch?: typeof fetch;
  /**
   * Stops the run: no further check starts, requests in flight are aborted, everything created so far is
   * deleted, then the run rejects with the signal's reason (wire it to SIGINT for Ctrl-C).
   */
  readonly signal?: AbortSignal;
  /** Called after each check with its result. */
  readonly onProgress?: (result: CheckResult, done: number, total: number) => void;
}

/**
 * Runs the conformance checks against a SCIM server and returns the report `scimkit test --format json`
 * prints. Every resource it creates (named `scimkit-conformance-<runid>-…`) is deleted before it
 * resolves, also when checks fail. Rejects only when the server cannot be reached at all.
 *
 * @example
 * const report = await runConformance({ url: "http://127.0.0.1:8080/scim/v2", token: process.env.SCIM_TOKEN ?? "" });
 * expect(report.checks.filter((c) => c.status === "failed")).toEqual([]);
 */
export async function runConformance(options: ConformanceOptions): Promise<ConformanceReport> {
  const baseUrl = options.url.replace(/\/+$/, "");
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const profile = options.profile ?? "rfc";
  const runId = randomHex(4);
  const created = new Set<string>();
  const wrongToken = `scimkit-conformance-wrong-${randomHex(12)}`;

  const send = async (
    method: string,
    path: string,
    sendOptions: SendOptions = {},
    signal: AbortSignal | null = options.signal ?? null,
  ): Promise<Exchange> => {
    const auth = sendOptions.auth ?? "valid";
    const token = auth === "valid" ? options.token : auth === "wrong" ? wrongToken : undefined;
    const exchange = await sendRequest(fetchImpl, baseUrl, method, path, {
      body: sendOptions.body,
      ...(sendOptions.raw !== undefined ? { raw: sendOptions.raw } : {}),
      token,
      ...(sendOptions.headers ? { headers: sendOptions.headers } : {}),
      ...(signal ? { signal } : {}),
    });
    // A server that echoes the request must not leak the token into a report.
    return options.token.length > 0 && exchange.text.includes(options.token)
      ? { ...exchange, text: exchange.text.split(options.token).join("***") }
      : exchange;
  };

  let discovered: Promise<Discovery> | undefined;
  const discovery = (): Promise<Discovery> => {
    discovered ??= readDiscovery(send);
    return discovered;
  };

  const ctx: CheckContext = {
    baseUrl,
    prefix: `scimkit-conformance-${runId}-`,
    send,
    discovery,
    async endpoint(resourceType) {
      const types = (await discovery()).resourceTypes;
      // Without readable discovery, assume the RFC 7644 §3.2 endpoints so the other checks still run.
      if (types.length === 0) return `/${resourceType}s`;
      const match = types.find((t) => t.name === resourceType);
      const endpoint = match?.endpoint;
      return typeof endpoint === "string" ? `/${endpoint.replace(/^\/+/, "")}` : undefined;
    },
    async create(endpoint, body) {
      const exchange = await send("POST", endpoint, { body });
      const id = field(exchange.json, "id");
      if (exchange.status >= 200 && exchange.status < 300 && typeof id === "string") {
        created.add(`${endpoint}/${encodeURIComponent(id)}`);
        return { exchange, id };
      }
      return { exchange, id: undefined };
    },
    track: (path) => created.add(path),
    untrack: (path) => created.delete(path),
  };

  try {
    await send("GET", "/ServiceProviderConfig");
  } catch (error) {
    throw new Error(`cannot reach ${baseUrl}: ${error instanceof Error ? error.message : String(error)}`);
  }

  const selected = CHECKS.filter((c) => profile === "all" || c.profile === profile);
  const results: CheckResult[] = [];
  try {
    for (const check of selected) {
      options.signal?.throwIfAborted();
      const result = await runCheck(check, ctx, options.readOnly === true, options.signal);
      results.push(result);
      options.onProgress?.(result, results.length, selected.length);
    }
  } finally {
    // Groups before users: no group is left referring to a deleted user while clean-up runs.
    const paths = [...created].sort(
      (a, b) => Number(b.includes("/Groups/")) - Number(a.includes("/Groups/")),
    );
    for (const path of paths) {
      // Without the run's signal: clean-up must finish after an abort.
      await send("DELETE", path, {}, null).catch(() => undefined);
    }
  }
  const summary = { passed: 0, failed: 0, skipped: 0 };
  for (const r of results) summary[r.status] += 1;
  return { target: options.url, summary, checks: results };
}

async function runCheck(
  check: Check,
  ctx: CheckContext,
  readOnly: boolean,
  signal: AbortSignal | undefined,
): Promise<CheckResult> {
  const base = {
    id: check.id,
    title: check.title,
    requirement: check.requirement,
    level: check.level,
    profile: check.profile,
  };
  if (readOnly && check.writes)
    return { ...base, status: "skipped", detail: "read-only run: this check creates resources" };
  const spc = (await ctx.discovery()).serviceProviderConfig;
  for (const capability of check.requires ?? []) {
    if (field(field(spc, capability), "supported") === false) {
      return {
        ...base,
        status: "skipped",
        detail: `ServiceProviderConfig: ${capability}.supported is false`,
      };
    }
  }
  try {
    const outcome = await check.run(ctx);
    signal?.throwIfAborted();
    return { ...base, status: outcome.status, detail: outcome.detail ?? "" };
  } catch (error) {
    signal?.throwIfAborted();
    const message = error instanceof Error ? error.message : String(error);
    return { ...base, status: "failed", detail: `request failed: ${message}` };
  }
}

async function readDiscovery(send: CheckContext["send"]): Promise<Discovery> {
  const read = async (path: string): Promise<Exchange | undefined> => {
    const exchange = await send("GET", path).catch(() => undefined);
    return exchange?.status === 200 ? exchange : undefined;
  };
  const [spc, types, schemas] = await Promise.all([
    read("/ServiceProviderConfig"),
    read("/ResourceTypes"),
    read("/Schemas"),
  ]);
  const spcBody = spc?.json;
  return {
    serviceProviderConfig:
      typeof spcBody === "object" && spcBody !== null ? (spcBody as Record<string, unknown>) : undefined,
    resourceTypes: listOf(types?.json),
    schemas: listOf(schemas?.json),
  };
}

/** A ListResponse's Resources, or a bare array (some servers answer discovery that way). */
function listOf(body: unknown): Record<string, unknown>[] {
  if (Array.isArray(body)) return body as Record<string, unknown>[];
  return resourcesOf(body) ?? [];
}

function randomHex(bytes: number): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(bytes)), (b) =>
    b.toString(16).padStart(2, "0"),
  ).join("");
}

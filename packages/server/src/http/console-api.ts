import { ScimError } from "@scimkit/core";
import type { RecordingStore, RequestQuery, StatusClass } from "../recording/types.js";
import type { Call } from "./call.js";
import { consoleEvents } from "./console-events.js";
import { decodeSegment, MethodNotAllowed, quote } from "./errors.js";

/** The path segment under the SCIM base path where the console's read API lives: `{basePath}/_console`. */
export const CONSOLE_SEGMENT = "_console";

const STATUS_CLASSES: readonly StatusClass[] = ["2xx", "3xx", "4xx", "5xx", "error"];
const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 500;

/**
 * The read API of the provisioning console (server README, "Console read API"): recorded requests,
 * one request with its bodies, the overview's stats, a resource's history, and live events. JSON,
 * authenticated like SCIM and scoped to the caller's tenant; GET only.
 */
export async function consoleApi(call: Call, url: URL, segments: readonly string[]): Promise<Response> {
  const recordings = call.env.recorder?.store;
  if (!recordings)
    throw ScimError.notFound(
      "request recording is off for this server (the store has no recordings, or recording: false), so the console has nothing to read",
    );
  if (call.method !== "GET")
    throw new MethodNotAllowed(
      call.request.method.toUpperCase(),
      `/${CONSOLE_SEGMENT}/${segments.join("/")}`,
      ["GET"],
    );
  const tenant = call.principal.tenant;
  const [first, second, third, fourth, fifth] = segments;
  const params = url.searchParams;
  if (first === "requests" && second === undefined)
    return reply(await recordings.list(tenant, requestQuery(params)));
  if (first === "requests" && second !== undefined && third === undefined) {
    const id = decodeSegment(second);
    const record = /^\d{1,18}$/.test(id) ? await recordings.get(tenant, id) : undefined;
    if (!record)
      throw ScimError.notFound(`no recorded request ${quote(id)} (it may have been removed by retention)`);
    const { requestBody, responseBody, ...rest } = record;
    return reply({
      ...rest,
      ...(requestBody !== undefined && { requestBody: parsed(requestBody) }),
      ...(responseBody !== undefined && { responseBody: parsed(responseBody) }),
    });
  }
  if (first === "stats" && second === undefined) return reply(await recordings.stats(tenant, new Date()));
  if (
    first === "resources" &&
    second !== undefined &&
    third !== undefined &&
    fourth === "history" &&
    fifth === undefined
  )
    return history(call, recordings, decodeSegment(second), decodeSegment(third), params);
  if (first === "events" && second === undefined) return consoleEvents(call, recordings);
  throw ScimError.notFound(
    `no console endpoint at ${quote(`/${CONSOLE_SEGMENT}/${segments.join("/")}`)}; see the server README for requests, requests/{id}, stats, resources/{type}/{id}/history and events`,
  );
}

async function history(
  call: Call,
  recordings: RecordingStore,
  typeName: string,
  id: string,
  params: URLSearchParams,
): Promise<Response> {
  const type = call.env.registry.resourceType(typeName);
  if (!type)
    throw ScimError.notFound(
      `no resource type ${quote(typeName)} (use its name, e.g. User, or its endpoint, e.g. Users)`,
    );
  const before = cursorParam(params, "before");
  return reply(
    await recordings.history(call.principal.tenant, type.name, id, {
      limit: limitParam(params),
      ...(before !== undefined && { before }),
    }),
  );
}

/** The list query from the URL; a value that makes no sense is a 400 naming the parameter. */
export function requestQuery(params: URLSearchParams): RequestQuery {
  const status = params.get("status") ?? undefined;
  if (status !== undefined && !STATUS_CLASSES.includes(status as StatusClass))
    throw invalid(`status must be one of ${STATUS_CLASSES.join(", ")}; got ${quote(status)}`);
  const text = (name: string) => {
    const value = params.get(name);
    return value === null || value === "" ? undefined : value;
  };
  const before = cursorParam(params, "before");
  const after = cursorParam(params, "after");
  const since = timeParam(params, "since");
  const until = timeParam(params, "until");
  const idp = text("idp");
  const resourceType = text("resourceType");
  const method = text("method");
  const q = text("q");
  return {
    limit: limitParam(params),
    ...(before !== undefined && { before }),
    ...(after !== undefined && { after }),
    ...(since !== undefined && { since }),
    ...(until !== undefined && { until }),
    ...(status !== undefined && { status: status as StatusClass }),
    ...(idp !== undefined && { idp: idp.toLowerCase() }),
    ...(resourceType !== undefined && { resourceType }),
    ...(method !== undefined && { method: method.toUpperCase() }),
    ...(q !== undefined && { q: q.slice(0, 256) }),
  };
}

function limitParam(params: URLSearchParams): number {
  const value = params.get("limit");
  if (value === null || value === "") return DEFAULT_LIMIT;
  if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > MAX_LIMIT)
    throw invalid(`limit must be a whole number from 1 to ${MAX_LIMIT}; got ${quote(value)}`);
  return Number(value);
}

function cursorParam(params: URLSearchParams, name: string): string | undefined {
  const value = params.get(name);
  if (value === null || value === "") return undefined;
  if (!/^\d{1,18}$/.test(value))
    throw invalid(`${name} must be the id of a recorded request or change (digits); got ${quote(value)}`);
  return value;
}

function timeParam(params: URLSearchParams, name: string): string | undefined {
  const value = params.get(name);
  if (value === null || value === "") return undefined;
  const ms = Date.parse(value);
  if (Number.isNaN(ms))
    throw invalid(`${name} must be an ISO 8601 instant (2026-12-03T10:00:00Z); got ${quote(value)}`);
  return new Date(ms).toISOString();
}

function invalid(detail: string): ScimError {
  return new ScimError({ status: 400, scimType: "invalidValue", detail });
}

/** A stored body as JSON when it is JSON, else the text (cut or not JSON at all). */
function parsed(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function reply(body: unknown): Response {
  return new Response(JSON.stringify(body), {
    status: 200,
    headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" },
  });
}

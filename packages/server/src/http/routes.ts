import { ScimError } from "@scimkit/core";
import { readBody } from "./body.js";
import { bulk } from "./bulk.js";
import { type Call, json, scope } from "./call.js";
import { etag, versionsOf } from "./conditional.js";
import { listOf, resourceTypeResource, schemaResource, serviceProviderConfig } from "./discovery.js";
import { decodeSegment, MethodNotAllowed, quote } from "./errors.js";
import type { Reply } from "./incoming.js";
import { fromQuery, fromSearchBody, list } from "./list.js";
import { respondWithResource } from "./render.js";
import { createResource, deleteResource, patchResource, replaceResource } from "./resources.js";

export async function route(call: Call, url: URL, segments: string[]): Promise<Response | Reply> {
  const { incoming, env, method } = call;
  const [first, second, third] = segments;
  const allow = (methods: string) => {
    const allowed = methods.split(",");
    if (!allowed.includes(method))
      throw new MethodNotAllowed(incoming.method.toUpperCase(), `/${segments.join("/")}`, allowed);
  };
  if (first === undefined)
    throw ScimError.notFound("the SCIM base URL has no resource; try /ServiceProviderConfig");
  const lower = first.toLowerCase();
  if (lower === "serviceproviderconfig" && second === undefined) {
    allow("GET");
    return json(200, serviceProviderConfig(call));
  }
  if (lower === "resourcetypes" && third === undefined) {
    allow("GET");
    noFilter(url, "/ResourceTypes");
    if (second !== undefined) {
      const found = resourceTypeResource(call, decodeSegment(second));
      if (!found) throw ScimError.notFound(`resource type ${quote(second)} not found`);
      return json(200, found);
    }
    return listOf(
      env.registry.bundle.resourceTypes.map(
        (t) => resourceTypeResource(call, t.name) as Record<string, unknown>,
      ),
    );
  }
  if (lower === "schemas" && third === undefined) {
    allow("GET");
    noFilter(url, "/Schemas");
    if (second !== undefined) {
      const found = schemaResource(call, decodeSegment(second));
      if (!found) throw ScimError.notFound(`schema ${quote(second)} not found`);
      return json(200, found);
    }
    return listOf(
      env.registry.bundle.schemas.map((s) => schemaResource(call, s.id) as Record<string, unknown>),
    );
  }
  if (lower === "bulk" && second === undefined) {
    allow("POST");
    return bulk(call, await readBody(call));
  }
  if (lower === ".search" && second === undefined) {
    allow("POST");
    return list(
      call,
      env.registry.bundle.resourceTypes.map((t) => t.name),
      fromSearchBody(await readBody(call)),
    );
  }
  if (lower === "me" && second === undefined) return me(call, url);

  const type = env.registry.resourceType(`/${first}`);
  if (!type || type.endpoint.replace(/^\//, "").toLowerCase() !== lower || third !== undefined) {
    throw ScimError.notFound(`no SCIM endpoint at ${quote(`/${segments.join("/")}`)}`);
  }
  if (call.trace) call.trace.resourceType = type.name;
  if (second === undefined) {
    allow("GET,POST");
    if (method === "GET") return list(call, [type.name], fromQuery(url));
    const { stored } = await createResource(call, type.name, await readBody(call));
    return respondWithResource(call, type.name, stored, 201, url);
  }
  if (second === ".search") {
    allow("POST");
    return list(call, [type.name], fromSearchBody(await readBody(call)));
  }
  const id = decodeSegment(second);
  if (call.trace) call.trace.resourceId = id;
  return resourceById(call, url, type.name, id);
}

/**
 * RFC 7644 §4: query parameters on /Schemas and /ResourceTypes are ignored, but "If a "filter" is
 * provided, the service provider SHOULD respond with HTTP status code 403 (Forbidden)", so no client takes
 * the unfiltered answer for a filtered one.
 */
function noFilter(url: URL, endpoint: string): void {
  if (url.searchParams.has("filter"))
    throw new ScimError({
      status: 403,
      detail: `${endpoint} cannot be filtered (RFC 7644 §4); request it without "filter" and select what you need from the whole list`,
    });
}

export async function resourceById(
  call: Call,
  url: URL,
  resourceType: string,
  id: string,
): Promise<Response | Reply> {
  const { env, method, incoming } = call;
  const methods = ["GET", "PUT", "PATCH", "DELETE"];
  if (!methods.includes(method))
    throw new MethodNotAllowed(incoming.method.toUpperCase(), "a resource", methods);
  const ifMatch = method === "GET" ? undefined : versionsOf(incoming.header("if-match"));
  let ifVersion: number | undefined;
  if (ifMatch !== undefined) {
    if (Array.isArray(ifMatch) && ifMatch.length === 0)
      throw new ScimError({ status: 412, detail: "If-Match names no version this resource has had" });
    if (Array.isArray(ifMatch) && ifMatch.length === 1) ifVersion = ifMatch[0];
    else {
      // "*" or several versions. RFC 9110 §13.1.1: the condition is false when the resource does not
      // exist (412, not 404); with several, the current version must be among them and the store then
      // checks that version atomically.
      const current = await env.options.store.get(scope(call, resourceType), id);
      if (!current)
        throw new ScimError({
          status: 412,
          detail: `If-Match: ${resourceType} ${quote(id)} does not exist (RFC 9110 §13.1.1)`,
        });
      if (ifMatch !== "*") {
        if (!ifMatch.includes(current.version))
          throw new ScimError({
            status: 412,
            detail: `${resourceType} ${quote(id)} has changed (version ${current.version})`,
          });
        ifVersion = current.version;
      }
    }
  }
  switch (method) {
    case "GET": {
      const stored = await env.options.store.get(scope(call, resourceType), id);
      if (!stored) throw ScimError.notFound(`${resourceType} ${id} not found`);
      const ifNoneMatch = versionsOf(incoming.header("if-none-match"));
      if (ifNoneMatch === "*" || (Array.isArray(ifNoneMatch) && ifNoneMatch.includes(stored.version)))
        return new Response(null, { status: 304, headers: { etag: etag(stored) } });
      return respondWithResource(call, resourceType, stored, 200, url);
    }
    case "PUT": {
      const { stored } = await replaceResource(call, resourceType, id, await readBody(call), ifVersion);
      return respondWithResource(call, resourceType, stored, 200, url);
    }
    case "PATCH": {
      const { stored } = await patchResource(call, resourceType, id, await readBody(call), ifVersion);
      return respondWithResource(call, resourceType, stored, 200, url);
    }
    case "DELETE":
      await deleteResource(call, resourceType, id, ifVersion);
      return new Response(null, { status: 204 });
    default:
      throw new MethodNotAllowed(incoming.method.toUpperCase(), "a resource", methods);
  }
}

/** RFC 7644 §3.11: /Me is an alias of the authenticated subject's own User resource. */
export async function me(call: Call, url: URL): Promise<Response | Reply> {
  const hook = call.env.options.me;
  if (!hook)
    throw new ScimError({
      status: 501,
      detail: "this service provider does not support /Me (RFC 7644 §3.11)",
    });
  const id = await hook(call.principal, call.request);
  if (id === undefined) throw ScimError.notFound("the authenticated subject has no User resource here");
  if (call.trace) {
    call.trace.resourceType = "User";
    call.trace.resourceId = id;
  }
  return resourceById(call, url, "User", id);
}

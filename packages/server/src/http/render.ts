import type { Filter } from "@scimkit/filter";
import { projectResource } from "../resource/projection.js";
import type { StoredResource } from "../stores/store.js";
import { type Call, json, schemaOptions, scope } from "./call.js";
import { etag } from "./conditional.js";

/** A stored resource as returned: attributes, `id`, `meta` (RFC 7643 §3.1), derived `groups` for Users. */
export async function render(
  call: Call,
  resourceType: string,
  stored: StoredResource,
): Promise<Record<string, unknown>> {
  const type = call.env.registry.resourceType(resourceType);
  const endpoint = type?.endpoint ?? `/${resourceType}`;
  const out: Record<string, unknown> = {
    ...stored.data,
    id: stored.id,
    meta: {
      resourceType: type?.name ?? resourceType,
      created: stored.created,
      lastModified: stored.lastModified,
      location: `${call.base}${endpoint}/${stored.id}`,
      version: etag(stored),
    },
  };
  if (
    type?.name === "User" &&
    call.env.registry.resourceType("Group") &&
    call.env.registry.resolve("User", "groups")
  ) {
    out.groups = await groupsOf(call, stored.id);
  }
  return out;
}

/** RFC 7643 §4.1.2: a User's `groups` is read-only, derived from the groups whose members include it. */
export async function groupsOf(call: Call, userId: string): Promise<Record<string, unknown>[] | undefined> {
  const filter: Filter = { op: "eq", path: { attribute: "members", subAttribute: "value" }, value: userId };
  const page = await call.env.options.store.query(scope(call, "Group"), {
    filter,
    count: call.env.maxResults * 10,
    startIndex: 1,
  });
  if (page.resources.length === 0) return undefined;
  const groups = call.env.registry.resourceType("Group");
  return page.resources.map((g) => ({
    value: g.id,
    $ref: `${call.base}${groups?.endpoint ?? "/Groups"}/${g.id}`,
    ...(typeof g.data.displayName === "string" && { display: g.data.displayName }),
    type: "direct",
  }));
}

export function projection(url: URL | undefined, body: Record<string, unknown> | undefined) {
  const attributes = body?.attributes ?? url?.searchParams.get("attributes") ?? undefined;
  const excluded = body?.excludedAttributes ?? url?.searchParams.get("excludedAttributes") ?? undefined;
  const asList = (v: unknown) =>
    typeof v === "string"
      ? v
      : Array.isArray(v)
        ? v.filter((x): x is string => typeof x === "string")
        : undefined;
  const a = asList(attributes);
  const e = asList(excluded);
  return { ...(a !== undefined && { attributes: a }), ...(e !== undefined && { excludedAttributes: e }) };
}

export async function respondWithResource(
  call: Call,
  resourceType: string,
  stored: StoredResource,
  status: number,
  url?: URL,
): Promise<Response> {
  const rendered = await render(call, resourceType, stored);
  const body = projectResource(rendered, {
    resourceType,
    ...schemaOptions(call.env),
    ...projection(url, undefined),
  });
  const location = (rendered.meta as { location: string }).location;
  return json(status, body, {
    etag: etag(stored),
    ...(status === 201 && { location }),
    "content-location": location,
  });
}

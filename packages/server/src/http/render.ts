import { SCIM_MEDIA_TYPE } from "@scimkit/core";
import type { Filter } from "@scimkit/filter";
import { isPlainObject, typeContext } from "../resource/context.js";
import { projectResource } from "../resource/projection.js";
import { FALLBACK, projectDefault } from "../resource/projection-default.js";
import type { ResourceRef, StoredResource } from "../stores/store.js";
import { type Call, schemaOptions, scope } from "./call.js";
import { etag } from "./conditional.js";
import { Reply } from "./incoming.js";
import { checkParameter } from "./strings.js";

const CONTENT_TYPE = `${SCIM_MEDIA_TYPE}; charset=utf-8`;

/** Which attributes a response may include, as `projection()` reads them from the request. */
export interface RenderProjection {
  readonly attributes?: string | readonly string[];
  readonly excludedAttributes?: string | readonly string[];
}

/**
 * Whether a derived attribute (`members`, `groups`) can be in the response under this projection
 * (RFC 7644 §3.4.2.5); when not, it is not derived at all. Errs towards deriving.
 */
function mayReturn(call: Call, resourceType: string, name: string, p: RenderProjection | undefined): boolean {
  if (!p || (p.attributes === undefined && p.excludedAttributes === undefined)) return true;
  const list = (v: string | readonly string[] | undefined) =>
    (typeof v === "string" ? v.split(",") : (v ?? [])).map((x) => x.trim().toLowerCase()).filter(Boolean);
  const urn = call.env.registry.resourceType(resourceType)?.schema.toLowerCase();
  const names = [name.toLowerCase(), ...(urn === undefined ? [] : [`${urn}:${name.toLowerCase()}`])];
  const attributes = list(p.attributes);
  if (attributes.length > 0)
    return attributes.some((a) => names.some((n) => a === n || a.startsWith(`${n}.`)));
  return !list(p.excludedAttributes).some((a) => names.includes(a));
}

function endpointOf(call: Call, resourceType: string): string {
  return call.env.registry.resourceType(resourceType)?.endpoint ?? `/${resourceType}`;
}

/** A stored resource as returned: attributes, `id`, `meta` (RFC 7643 §3.1), derived `groups` for Users. */
export async function render(
  call: Call,
  resourceType: string,
  stored: StoredResource,
): Promise<Record<string, unknown>> {
  const [out] = await renderPage(call, resourceType, [stored]);
  return out as Record<string, unknown>;
}

/**
 * A page of stored resources of one type as returned, in order: attributes, `id`, `meta` (RFC 7643
 * §3.1), and the derived membership attributes for the whole page at once — a User's `groups`
 * (§4.1.2) and a Group's `members` with `$ref`, `type` and `display` (§4.2) — with one store lookup
 * each (ScimStore.membershipsOf / membersOf) instead of one per resource. With `projection`, an
 * attribute the response cannot include is not derived; with `created` (resources this request just
 * created, whose ids no other resource can list yet), `groups` is not looked up.
 */
export async function renderPage(
  call: Call,
  resourceType: string,
  stored: readonly StoredResource[],
  projection?: RenderProjection,
  created = false,
): Promise<Record<string, unknown>[]> {
  const parts = await renderParts(call, resourceType, stored, projection, created);
  return parts.map((p) => ({ ...p.data, ...p.added }));
}

/**
 * A resource as rendered, in two parts: the stored attributes, and what rendering adds or replaces
 * (`id`, `meta`, derived `groups`, `members` with `$ref`). `{ ...data, ...added }` is the resource as
 * returned; the default projection reads the two without making that copy (respondWithResource).
 */
interface Rendered {
  readonly data: Record<string, unknown>;
  readonly added: Record<string, unknown>;
}

async function renderParts(
  call: Call,
  resourceType: string,
  stored: readonly StoredResource[],
  projection: RenderProjection | undefined,
  created: boolean,
): Promise<Rendered[]> {
  const { registry } = call.env;
  const type = registry.resourceType(resourceType);
  const endpoint = type?.endpoint ?? `/${resourceType}`;
  const page: Rendered[] = stored.map((s) => ({
    data: s.data,
    added: {
      id: s.id,
      meta: {
        resourceType: type?.name ?? resourceType,
        created: s.created,
        lastModified: s.lastModified,
        location: `${call.base}${endpoint}/${s.id}`,
        version: etag(s),
      },
    },
  }));
  if (stored.length === 0 || !type) return page;
  if (
    type.name === "User" &&
    // A resource this request created is in no group yet: a group can list it only once its id is known.
    !created &&
    registry.resourceType("Group") &&
    registry.resolve("User", "groups") &&
    mayReturn(call, type.name, "groups", projection)
  ) {
    const groups = await groupsOfPage(call, type.name, stored);
    page.forEach((out, i) => {
      const list = groups.get((stored[i] as StoredResource).id);
      if (list && list.length > 0) out.added.groups = list;
    });
  }
  if (
    registry.resolve(type.name, "members.value") &&
    stored.some((s) => Array.isArray(s.data.members)) &&
    mayReturn(call, type.name, "members", projection)
  ) {
    const store = call.env.options.store;
    const refs = store.membersOf
      ? await store.membersOf(
          scope(call, type.name),
          stored.filter((s) => Array.isArray(s.data.members)).map((s) => s.id),
        )
      : new Map<string, readonly ResourceRef[]>();
    page.forEach((out, i) => {
      const members = out.data.members;
      if (Array.isArray(members))
        out.added.members = renderMembers(call, members, refs.get((stored[i] as StoredResource).id) ?? []);
    });
  }
  return page;
}

/**
 * RFC 7643 §4.2 members as returned. Stored: what the client sent (`value`, and the immutable `type`
 * or `display` if it sent them). Derived when rendered, from the store's membership index: `type` (the
 * member's resource type), `$ref` (its absolute URL under this request's base, which a proxy or
 * `publicUrl` may change, so never stored) and, when the client set none, `display` (the member's
 * current `displayName`, else `userName`, so a rename shows at once). A member the index does not know keeps what was stored, with a `$ref`
 * when its `type` names a resource type.
 */
function renderMembers(call: Call, members: readonly unknown[], refs: readonly ResourceRef[]): unknown[] {
  const byId = new Map(refs.map((r) => [r.id, r]));
  return members.map((entry) => {
    if (!isPlainObject(entry) || typeof entry.value !== "string") return entry;
    const ref = byId.get(entry.value);
    const named =
      typeof entry.type === "string" ? call.env.registry.resourceType(entry.type)?.name : undefined;
    const memberType = ref?.resourceType ?? named;
    // Sub-attributes of members are immutable (RFC 7643 §4.2): a display the client set is kept as set;
    // without one, the member's current displayName (else userName) is shown.
    const display = typeof entry.display === "string" ? entry.display : ref?.display;
    return {
      value: entry.value,
      ...(memberType !== undefined
        ? { $ref: `${call.base}${endpointOf(call, memberType)}/${entry.value}`, type: memberType }
        : typeof entry.type === "string" && { type: entry.type }),
      ...(display !== undefined && { display }),
    };
  });
}

/** RFC 7643 §4.1.2: the page's Users' `groups`, read-only, derived from the groups whose members list them. */
async function groupsOfPage(
  call: Call,
  resourceType: string,
  stored: readonly StoredResource[],
): Promise<Map<string, Record<string, unknown>[]>> {
  const out = new Map<string, Record<string, unknown>[]>();
  const store = call.env.options.store;
  if (!store.membershipsOf) {
    // A store without membership support: one query per resource.
    for (const s of stored) {
      const groups = await groupsOf(call, s.id);
      if (groups) out.set(s.id, groups);
    }
    return out;
  }
  const groupType = call.env.registry.resourceType("Group")?.name ?? "Group";
  const found = await store.membershipsOf(
    scope(call, resourceType),
    stored.map((s) => s.id),
  );
  for (const [id, refs] of found) {
    const groups = refs
      .filter((r) => r.resourceType === groupType)
      .map((r) => ({
        value: r.id,
        $ref: `${call.base}${endpointOf(call, groupType)}/${r.id}`,
        ...(r.display !== undefined && { display: r.display }),
        type: "direct",
      }));
    if (groups.length > 0) out.set(id, groups);
  }
  return out;
}

/**
 * RFC 7643 §4.1.2 for one User, with a `members.value eq` query: the fallback for stores without
 * ScimStore.membershipsOf.
 */
export async function groupsOf(call: Call, userId: string): Promise<Record<string, unknown>[] | undefined> {
  const filter: Filter = { op: "eq", path: { attribute: "members", subAttribute: "value" }, value: userId };
  const page = await call.env.options.store.query(scope(call, "Group"), {
    filter,
    count: call.env.maxResults * 10,
    startIndex: 1,
  });
  if (page.resources.length === 0) return undefined;
  return page.resources.map((g) => ({
    value: g.id,
    $ref: `${call.base}${endpointOf(call, "Group")}/${g.id}`,
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
  // As for lists (list.ts): a NUL or lone surrogate in a projection parameter is 400, not silently ignored.
  checkParameter("attributes", a, "invalidValue");
  checkParameter("excludedAttributes", e, "invalidValue");
  return { ...(a !== undefined && { attributes: a }), ...(e !== undefined && { excludedAttributes: e }) };
}

/**
 * A resource's answer (GET, and PUT, PATCH, POST): its representation with `ETag` (RFC 7644 §3.14) and
 * `Content-Location`, plus `Location` for 201 (§3.3), as a {@link Reply} (no `Response` body stream).
 */
export async function respondWithResource(
  call: Call,
  resourceType: string,
  stored: StoredResource,
  status: number,
  url?: URL,
): Promise<Reply> {
  // No query: nothing to project by, and nothing to check.
  const wanted = url === undefined || url.search === "" ? {} : projection(url, undefined);
  // 201: just created, so nothing lists it yet (its `groups` are empty without a lookup).
  const [rendered] = (await renderParts(call, resourceType, [stored], wanted, status === 201)) as [Rendered];
  const options = { resourceType, ...schemaOptions(call.env), ...wanted };
  // No parameters (every GET by id without a query, every write's answer): the plan of RFC 7643 §2.4's
  // `returned`, over the stored data and what rendering added, without copying them into one object.
  const planned =
    wanted.attributes === undefined && wanted.excludedAttributes === undefined
      ? projectDefault(rendered.data, typeContext(resourceType, options), rendered.added)
      : FALLBACK;
  const body =
    planned === FALLBACK ? projectResource({ ...rendered.data, ...rendered.added }, options) : planned;
  const location = (rendered.added.meta as { location: string }).location;
  const headers: Record<string, string> = { "content-type": CONTENT_TYPE, etag: etag(stored) };
  if (status === 201) headers.location = location;
  headers["content-location"] = location;
  return new Reply(status, headers, JSON.stringify(body));
}

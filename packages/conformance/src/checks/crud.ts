import { type Exchange, field } from "../http.js";
import { fail, pass } from "../outcome.js";
import type { Check, CheckContext, CheckOutcome } from "../types.js";
import { type CoreType, endpointOf, GROUP, metaOf, USER } from "./bodies.js";

/** Creates a fresh resource for a check; the outcome is a failure naming the create when it did not work. */
async function createFor(
  ctx: CheckContext,
  type: CoreType,
  suffix: string,
): Promise<{ endpoint: string; id: string; exchange: Exchange } | CheckOutcome> {
  const endpoint = await endpointOf(ctx, type);
  if (typeof endpoint !== "string") return endpoint;
  const { exchange, id } = await ctx.create(endpoint, type.body(ctx, suffix));
  if (id === undefined)
    return fail(`could not create a ${type.name} to test with (expected 201 and an id)`, exchange);
  return { endpoint, id, exchange };
}

function isDate(value: unknown): boolean {
  return typeof value === "string" && !Number.isNaN(Date.parse(value));
}

function sameUrl(a: string, b: string): boolean {
  return a.replace(/\/+$/, "") === b.replace(/\/+$/, "");
}

function checksFor(type: CoreType): Check[] {
  const k = type.key;
  const plural = `${type.name}s`;
  const base = { profile: "rfc", writes: true } as const;
  return [
    {
      ...base,
      id: `crud.${k}.create-status`,
      title: `POST /${plural} answers 201 Created`,
      requirement: "RFC 7644 §3.3",
      level: "MUST",
      async run(ctx) {
        const made = await createFor(ctx, type, `${k}-create-status`);
        if ("status" in made) return made;
        return made.exchange.status === 201 ? pass() : fail("expected 201", made.exchange);
      },
    },
    {
      ...base,
      id: `crud.${k}.create-location`,
      title: `POST /${plural} answers a Location header equal to meta.location`,
      requirement: "RFC 7644 §3.3",
      level: "MUST",
      async run(ctx) {
        const made = await createFor(ctx, type, `${k}-create-location`);
        if ("status" in made) return made;
        const location = made.exchange.headers.get("location");
        if (!location) return fail("expected a Location header", made.exchange);
        const metaLocation = metaOf(made.exchange.json).location;
        if (typeof metaLocation !== "string" || !sameUrl(location, metaLocation)) {
          return fail(`expected meta.location to equal the Location header ${location}`, made.exchange);
        }
        return pass();
      },
    },
    {
      ...base,
      id: `crud.${k}.create-meta`,
      title: `A created ${type.name} has meta.created, lastModified, resourceType and location`,
      requirement: "RFC 7643 §3.1",
      level: "MUST",
      async run(ctx) {
        const made = await createFor(ctx, type, `${k}-create-meta`);
        if ("status" in made) return made;
        const meta = metaOf(made.exchange.json);
        const problems: string[] = [];
        if (!isDate(meta.created)) problems.push("meta.created is not a date-time");
        if (!isDate(meta.lastModified)) problems.push("meta.lastModified is not a date-time");
        if (meta.resourceType !== type.name) problems.push(`meta.resourceType is not "${type.name}"`);
        if (typeof meta.location !== "string" || !meta.location.includes(made.id)) {
          problems.push("meta.location is not the resource's URI");
        }
        return problems.length === 0 ? pass() : fail(problems.join("; "), made.exchange);
      },
    },
    {
      ...base,
      id: `crud.${k}.meta-version`,
      title: `A created ${type.name} has meta.version, equal to its ETag header when one is sent`,
      requirement: "RFC 7644 §3.14",
      level: "SHOULD",
      requires: ["etag"],
      async run(ctx) {
        const made = await createFor(ctx, type, `${k}-meta-version`);
        if ("status" in made) return made;
        const version = metaOf(made.exchange.json).version;
        if (typeof version !== "string" || version === "")
          return fail("expected meta.version", made.exchange);
        const etag = made.exchange.headers.get("etag");
        if (etag !== null && etag !== version)
          return fail(`ETag ${etag} differs from meta.version`, made.exchange);
        return pass();
      },
    },
    {
      ...base,
      id: `crud.${k}.version-changes`,
      title: `Replacing a ${type.name} changes its meta.version`,
      requirement: "RFC 7644 §3.14",
      level: "SHOULD",
      requires: ["etag"],
      async run(ctx) {
        const made = await createFor(ctx, type, `${k}-version-changes`);
        if ("status" in made) return made;
        const before = metaOf(made.exchange.json).version;
        if (typeof before !== "string") return fail("expected meta.version on create", made.exchange);
        const path = `${made.endpoint}/${encodeURIComponent(made.id)}`;
        const put = await ctx.send("PUT", path, { body: type.changed(ctx, `${k}-version-changes`).body });
        if (put.status !== 200) return fail("expected 200", put);
        const after = metaOf(put.json).version;
        return typeof after === "string" && after !== before
          ? pass()
          : fail(`expected a meta.version other than ${before} after the change`, put);
      },
    },
    {
      ...base,
      id: `crud.${k}.read`,
      title: `GET /${plural}/{id} returns the created ${type.name}`,
      requirement: "RFC 7644 §3.4.1",
      level: "MUST",
      async run(ctx) {
        const made = await createFor(ctx, type, `${k}-read`);
        if ("status" in made) return made;
        const read = await ctx.send("GET", `${made.endpoint}/${encodeURIComponent(made.id)}`);
        if (read.status !== 200) return fail("expected 200", read);
        if (field(read.json, "id") !== made.id) return fail(`expected id ${made.id}`, read);
        const name = field(made.exchange.json, type.nameAttribute);
        if (field(read.json, type.nameAttribute) !== name)
          return fail(`expected ${type.nameAttribute} ${name}`, read);
        return pass();
      },
    },
    {
      ...base,
      id: `crud.${k}.replace`,
      title: `PUT /${plural}/{id} replaces the ${type.name} and returns it`,
      requirement: "RFC 7644 §3.5.1",
      level: "MUST",
      async run(ctx) {
        const made = await createFor(ctx, type, `${k}-replace`);
        if ("status" in made) return made;
        const path = `${made.endpoint}/${encodeURIComponent(made.id)}`;
        const change = type.changed(ctx, `${k}-replace`);
        const put = await ctx.send("PUT", path, { body: change.body });
        if (put.status !== 200) return fail("expected 200", put);
        if (field(put.json, change.attribute) !== change.value) {
          return fail(`expected ${change.attribute} "${change.value}" in the response`, put);
        }
        const read = await ctx.send("GET", path);
        if (field(read.json, change.attribute) !== change.value) {
          return fail(`expected ${change.attribute} "${change.value}" when read back`, read);
        }
        return pass();
      },
    },
    {
      ...base,
      id: `crud.${k}.delete`,
      title: `DELETE /${plural}/{id} answers 204, then GET answers 404`,
      requirement: "RFC 7644 §3.6",
      level: "MUST",
      async run(ctx) {
        const made = await createFor(ctx, type, `${k}-delete`);
        if ("status" in made) return made;
        const path = `${made.endpoint}/${encodeURIComponent(made.id)}`;
        const deleted = await ctx.send("DELETE", path);
        if (deleted.status !== 204) return fail("expected 204", deleted);
        ctx.untrack(path);
        const read = await ctx.send("GET", path);
        return read.status === 404 ? pass() : fail("expected 404 after delete", read);
      },
    },
  ];
}

/** CRUD on Users and Groups (RFC 7644 §3.3–§3.6). */
export const crudChecks: readonly Check[] = [...checksFor(USER), ...checksFor(GROUP)];

import { type Exchange, field } from "../http.js";
import { fail, pass } from "../outcome.js";
import type { Check, CheckContext, CheckOutcome } from "../types.js";
import { metaOf, USER } from "./bodies.js";
import { advertised, createUser, type MadeUser, patchOp } from "./support.js";

/** The entity-tag a response carries: its ETag header, else meta.version (§3.14 SHOULD put it there too). */
function tagOf(exchange: Exchange): string | undefined {
  const header = exchange.headers.get("etag");
  if (header !== null && header !== "") return header;
  const version = metaOf(exchange.json).version;
  return typeof version === "string" && version !== "" ? version : undefined;
}

/** A User with two versions: `stale` (as created) and `current` (after a PUT changed displayName). */
async function twoVersions(
  ctx: CheckContext,
  suffix: string,
): Promise<{ made: MadeUser; stale: string; current: string; put: Exchange } | CheckOutcome> {
  const made = await createUser(ctx, suffix);
  if ("status" in made) return made;
  const stale = tagOf(made.exchange);
  if (stale === undefined) return fail("expected an ETag header or meta.version on create", made.exchange);
  const put = await ctx.send("PUT", made.path, { body: USER.changed(ctx, suffix).body });
  if (put.status !== 200) return fail("expected 200 for a PUT without preconditions", put);
  const current = tagOf(put);
  if (current === undefined) return fail("expected an ETag header or meta.version after PUT", put);
  return { made, stale, current, put };
}

/** The same entity-tag with the other strength: W/"x" → "x", "x" → W/"x" (RFC 7232 §2.3). */
function otherStrength(tag: string): string {
  return tag.startsWith("W/") ? tag.slice(2) : `W/${tag}`;
}

/** A write sent with `If-Match: <stale version>` must answer 412 and change nothing (RFC 7232 §3.1). */
function staleCheck(method: "PUT" | "PATCH" | "DELETE"): Check {
  const key = method.toLowerCase();
  return {
    id: `etag.if-match-stale-${key}`,
    title: `${method} with If-Match naming an older version answers 412 and changes nothing`,
    requirement: "RFC 7644 §3.14; RFC 7644 §3.12; RFC 7232 §3.1",
    level: "MUST",
    profile: "rfc",
    writes: true,
    requires: method === "PATCH" ? ["etag", "patch"] : ["etag"],
    async run(ctx) {
      const versions = await twoVersions(ctx, `if-match-stale-${key}`);
      if ("status" in versions) return versions;
      const { made, stale } = versions;
      const headers = { "if-match": stale };
      const displayName = "Conformance Stale Write";
      const exchange =
        method === "PUT"
          ? await ctx.send("PUT", made.path, {
              body: { ...USER.body(ctx, `if-match-stale-${key}`), displayName },
              headers,
            })
          : method === "PATCH"
            ? await ctx.send("PATCH", made.path, {
                body: patchOp({ op: "replace", path: "displayName", value: displayName }),
                headers,
              })
            : await ctx.send("DELETE", made.path, { headers });
      if (exchange.status !== 412) return fail(`expected 412 for If-Match: ${stale}`, exchange);
      const read = await ctx.send("GET", made.path);
      if (read.status !== 200) return fail("expected the User to be unchanged, still there", read);
      if (field(read.json, "displayName") === displayName)
        return fail("the refused write was applied anyway", read);
      return pass();
    },
  };
}

/** Concurrency: ETags and conditional requests (RFC 7644 §3.14, RFC 7232). */
export const etagChecks: readonly Check[] = [
  {
    id: "etag.write-changes-etag",
    title: "A write gives the resource a new ETag, served on later reads",
    requirement: "RFC 7644 §3.14; RFC 7232 §2.3",
    level: "SHOULD",
    profile: "rfc",
    writes: true,
    requires: ["etag"],
    async run(ctx) {
      const versions = await twoVersions(ctx, "etag-changes");
      if ("status" in versions) return versions;
      const { made, stale, current, put } = versions;
      if (current === stale) return fail(`the ETag stayed ${stale} after a PUT changed displayName`, put);
      const read = await ctx.send("GET", made.path);
      return tagOf(read) === current
        ? pass()
        : fail(`expected a read to carry the new ETag ${current}`, read);
    },
  },
  staleCheck("PUT"),
  staleCheck("PATCH"),
  staleCheck("DELETE"),
  {
    id: "etag.if-match-current",
    title: "PUT, PATCH and DELETE with If-Match naming the current version succeed",
    requirement: "RFC 7644 §3.14; RFC 7232 §3.1",
    level: "MUST",
    profile: "rfc",
    writes: true,
    requires: ["etag"],
    async run(ctx) {
      const made = await createUser(ctx, "if-match-current");
      if ("status" in made) return made;
      let tag = tagOf(made.exchange);
      if (tag === undefined) return fail("expected an ETag header or meta.version on create", made.exchange);
      const put = await ctx.send("PUT", made.path, {
        body: USER.changed(ctx, "if-match-current").body,
        headers: { "if-match": tag },
      });
      if (put.status !== 200) return fail(`expected 200 for If-Match: ${tag}`, put);
      tag = tagOf(put);
      if (tag === undefined) return fail("expected an ETag header or meta.version after PUT", put);
      if ((await advertised(ctx, "patch")) !== false) {
        const patch = await ctx.send("PATCH", made.path, {
          body: patchOp({ op: "replace", path: "displayName", value: "Conformance Patched" }),
          headers: { "if-match": tag },
        });
        if (patch.status !== 200 && patch.status !== 204)
          return fail(`expected 200 for If-Match: ${tag}`, patch);
        tag = patch.status === 200 ? tagOf(patch) : tagOf(await ctx.send("GET", made.path));
        if (tag === undefined) return fail("expected an ETag header or meta.version after PATCH", patch);
      }
      const deleted = await ctx.send("DELETE", made.path, { headers: { "if-match": tag } });
      // Any success shows the precondition held; that it is 204 is crud.*.delete's rule (RFC 7644 §3.6).
      if (deleted.status !== 204 && deleted.status !== 200)
        return fail(`expected 204 for If-Match: ${tag}`, deleted);
      ctx.untrack(made.path);
      return pass();
    },
  },
  {
    id: "etag.if-none-match",
    title: "GET with If-None-Match naming the current version answers 304 without a body; an older one 200",
    requirement: "RFC 7644 §3.14; RFC 7232 §3.2",
    level: "MUST",
    profile: "rfc",
    writes: true,
    requires: ["etag"],
    async run(ctx) {
      const versions = await twoVersions(ctx, "if-none-match");
      if ("status" in versions) return versions;
      const { made, stale, current } = versions;
      const fresh = await ctx.send("GET", made.path, { headers: { "if-none-match": current } });
      if (fresh.status !== 304) return fail(`expected 304 for If-None-Match: ${current}`, fresh);
      if (fresh.text !== "") return fail("expected a 304 without a body", fresh);
      const old = await ctx.send("GET", made.path, { headers: { "if-none-match": stale } });
      if (old.status !== 200 || field(old.json, "id") !== made.id)
        return fail(`expected 200 and the User for the older If-None-Match: ${stale}`, old);
      return pass();
    },
  },
  {
    id: "etag.weak-comparison",
    title: 'If-None-Match compares entity-tags weakly: W/"x" and "x" both match',
    requirement: "RFC 7644 §3.14; RFC 7232 §3.2",
    level: "MUST",
    profile: "rfc",
    writes: true,
    requires: ["etag"],
    async run(ctx) {
      const made = await createUser(ctx, "weak-comparison");
      if ("status" in made) return made;
      const read = await ctx.send("GET", made.path);
      const tag = tagOf(read);
      if (tag === undefined) return fail("expected an ETag header or meta.version", read);
      const other = otherStrength(tag);
      const exchange = await ctx.send("GET", made.path, { headers: { "if-none-match": other } });
      return exchange.status === 304
        ? pass()
        : fail(`expected 304: If-None-Match ${other} matches ${tag} by weak comparison`, exchange);
    },
  },
];

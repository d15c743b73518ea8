import { field } from "../../http.js";
import { fail, pass } from "../../outcome.js";
import { generateBody, readOnlyBody } from "../../schema/body.js";
import { compareResource } from "../../schema/compare.js";
import { propOf } from "../../schema/model.js";
import { metaOf } from "../bodies.js";
import { type Behaviour, createFor, isOutcome } from "./behaviour.js";

const ALL = ["user", "group", "custom"] as const;

/** A `meta.created` no server can have set for a resource this run created. */
const BOGUS_CREATED = "2001-02-03T04:05:06Z";

/** The distinctive strings and numbers in a value (booleans and short strings could match by chance). */
function leaves(value: unknown): (string | number)[] {
  if (Array.isArray(value)) return value.flatMap(leaves);
  if (typeof value === "object" && value !== null) return Object.values(value).flatMap(leaves);
  if (typeof value === "string") return value.length >= 8 ? [value] : [];
  return typeof value === "number" ? [value] : [];
}

/** Read (RFC 7644 §3.4.1), replace (§3.5.1) and delete (§3.6). */
export const lifecycleBehaviours: readonly Behaviour[] = [
  {
    name: "version-changes",
    title: (type) => `Replacing a ${type} changes its meta.version`,
    requirement: "RFC 7644 §3.14",
    level: "SHOULD",
    requires: ["etag"],
    keys: ALL,
    async run(ctx, type, seed) {
      const made = await createFor(ctx, type, seed);
      if (isOutcome(made)) return made;
      const before = metaOf(made.exchange.json).version;
      if (typeof before !== "string") return fail("expected meta.version on create", made.exchange);
      const body = generateBody(type, { prefix: ctx.prefix, seed, variant: 1, immutableVariant: 0 });
      const put = await ctx.send("PUT", made.path, { body });
      if (put.status !== 200) return fail("expected 200", put);
      const after = metaOf(put.json).version;
      return typeof after === "string" && after !== before
        ? pass()
        : fail(`expected a meta.version other than ${before} after the change`, put);
    },
  },
  {
    name: "read",
    title: (type, endpoint) =>
      `GET ${endpoint}/{id} returns the created ${type} with every written attribute`,
    requirement: "RFC 7644 §3.4.1",
    level: "MUST",
    keys: ALL,
    async run(ctx, type, seed) {
      const made = await createFor(ctx, type, seed);
      if (isOutcome(made)) return made;
      const read = await ctx.send("GET", made.path);
      if (read.status !== 200) return fail("expected 200", read);
      if (field(read.json, "id") !== made.id) return fail(`expected id ${made.id}`, read);
      const problems = compareResource(type, made.body, read.json);
      return problems.length === 0
        ? pass()
        : fail(`read back differs from what was created: ${problems.join("; ")}`, read);
    },
  },
  {
    name: "replace",
    title: (type, endpoint) => `PUT ${endpoint}/{id} replaces every writable attribute of the ${type}`,
    requirement: "RFC 7644 §3.5.1; RFC 7644 §3.5",
    level: "MUST",
    keys: ALL,
    async run(ctx, type, seed) {
      const made = await createFor(ctx, type, seed);
      if (isOutcome(made)) return made;
      // Every attribute gets its second value; immutable ones keep theirs (crud.immutable changes them).
      const body = generateBody(type, { prefix: ctx.prefix, seed, variant: 1, immutableVariant: 0 });
      const put = await ctx.send("PUT", made.path, { body });
      if (put.status !== 200) return fail("expected 200", put);
      const returned = compareResource(type, body, put.json);
      if (returned.length > 0)
        return fail(`the response is not the replaced resource: ${returned.join("; ")}`, put);
      const read = await ctx.send("GET", made.path);
      const stored = compareResource(type, body, read.json);
      return stored.length === 0 ? pass() : fail(`read back after PUT differs: ${stored.join("; ")}`, read);
    },
  },
  {
    name: "readonly-ignored",
    title: (_type, endpoint) =>
      `PUT ${endpoint}/{id} with readOnly attributes (id, meta and the schema's) ignores them`,
    requirement: "RFC 7644 §3.5.1; RFC 7643 §7",
    level: "MUST",
    keys: ALL,
    async run(ctx, type, seed) {
      const made = await createFor(ctx, type, seed);
      if (isOutcome(made)) return made;
      const ignored = readOnlyBody(type, { prefix: ctx.prefix, seed: `${seed}-ignored`, variant: 0 });
      const body = {
        ...ignored,
        ...made.body,
        id: made.id,
        meta: { ...metaOf(made.exchange.json), created: BOGUS_CREATED },
      };
      const put = await ctx.send("PUT", made.path, { body });
      if (put.status !== 200) return fail("expected 200: readOnly values sent SHALL be ignored", put);
      if (metaOf(put.json).created === BOGUS_CREATED) return fail("meta.created took the value sent", put);
      for (const key of Object.keys(ignored).filter((k) => k !== "schemas")) {
        const kept = new Set(leaves(propOf(put.json, key)));
        const taken = leaves(ignored[key]).find((value) => kept.has(value));
        if (taken !== undefined) return fail(`readOnly ${key} took the value sent (${taken})`, put);
      }
      const problems = compareResource(type, made.body, put.json);
      return problems.length === 0 ? pass() : fail(`the resource changed: ${problems.join("; ")}`, put);
    },
  },
  {
    name: "delete",
    title: (_type, endpoint) => `DELETE ${endpoint}/{id} answers 204, then GET answers 404`,
    requirement: "RFC 7644 §3.6",
    level: "MUST",
    keys: ALL,
    async run(ctx, type, seed) {
      const made = await createFor(ctx, type, seed);
      if (isOutcome(made)) return made;
      const deleted = await ctx.send("DELETE", made.path);
      if (deleted.status !== 204) return fail("expected 204", deleted);
      const read = await ctx.send("GET", made.path);
      if (read.status !== 404) return fail("expected 404 after delete", read);
      ctx.untrack(made.path);
      return pass();
    },
  },
];

import { field, schemasOf } from "../../http.js";
import { fail, pass, skip } from "../../outcome.js";
import { compareResource } from "../../schema/compare.js";
import { metaOf } from "../bodies.js";
import { type Behaviour, createFor, isOutcome } from "./behaviour.js";

function isDate(value: unknown): boolean {
  return typeof value === "string" && !Number.isNaN(Date.parse(value));
}

/** Location and meta.location name the same resource; a trailing slash is not a difference. */
export function sameUrl(a: string, b: string): boolean {
  return a.replace(/\/+$/, "") === b.replace(/\/+$/, "");
}

const ALL = ["user", "group", "custom"] as const;

/** Create (RFC 7644 §3.3) and what a created resource carries (RFC 7643 §3.1). */
export const createBehaviours: readonly Behaviour[] = [
  {
    name: "create-status",
    title: (_type, endpoint) => `POST ${endpoint} answers 201 Created`,
    requirement: "RFC 7644 §3.3",
    level: "MUST",
    keys: ALL,
    async run(ctx, type, seed) {
      const made = await createFor(ctx, type, seed);
      if (isOutcome(made)) return made;
      return made.exchange.status === 201 ? pass() : fail("expected 201", made.exchange);
    },
  },
  {
    name: "create-location",
    title: (_type, endpoint) => `POST ${endpoint} answers a Location header equal to meta.location`,
    requirement: "RFC 7644 §3.3",
    level: "MUST",
    keys: ALL,
    async run(ctx, type, seed) {
      const made = await createFor(ctx, type, seed);
      if (isOutcome(made)) return made;
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
    name: "create-meta",
    title: (type) => `A created ${type} has meta.created, lastModified, resourceType and location`,
    requirement: "RFC 7643 §3.1; RFC 7644 §3.3.1",
    level: "MUST",
    keys: ALL,
    async run(ctx, type, seed) {
      const made = await createFor(ctx, type, seed);
      if (isOutcome(made)) return made;
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
    name: "meta-version",
    title: (type) => `A created ${type} has meta.version, equal to its ETag header when one is sent`,
    requirement: "RFC 7644 §3.14",
    level: "SHOULD",
    requires: ["etag"],
    keys: ALL,
    async run(ctx, type, seed) {
      const made = await createFor(ctx, type, seed);
      if (isOutcome(made)) return made;
      const version = metaOf(made.exchange.json).version;
      if (typeof version !== "string" || version === "") return fail("expected meta.version", made.exchange);
      const etag = made.exchange.headers.get("etag");
      if (etag !== null && etag !== version)
        return fail(`ETag ${etag} differs from meta.version`, made.exchange);
      return pass();
    },
  },
  {
    name: "create-attributes",
    title: (type) => `A created ${type} is returned with every writable attribute as sent`,
    requirement: "RFC 7644 §3.3; RFC 7643 §7; RFC 7643 §2.3.2",
    level: "MUST",
    keys: ALL,
    async run(ctx, type, seed) {
      const made = await createFor(ctx, type, seed);
      if (isOutcome(made)) return made;
      const problems = compareResource(type, made.body, made.exchange.json);
      return problems.length === 0
        ? pass()
        : fail(`the response differs from what was sent: ${problems.join("; ")}`, made.exchange);
    },
  },
  {
    name: "extensions",
    title: (type) =>
      `${type} extension attributes round-trip under their URN, and schemas lists each extension`,
    requirement: "RFC 7643 §3; RFC 7644 §3.3",
    level: "MUST",
    keys: ["user", "custom"],
    async run(ctx, type, seed) {
      const used = type.extensions.map((e) => e.schema.id);
      if (used.length === 0) return skip("no schema extension");
      const made = await createFor(ctx, type, seed);
      if (isOutcome(made)) return made;
      const sent = used.filter((urn) => urn in made.body);
      if (sent.length === 0) return skip("its extensions have no writable attribute");
      const onlyExtensions = Object.fromEntries(sent.map((urn) => [urn, made.body[urn]]));
      const read = await ctx.send("GET", made.path);
      for (const exchange of [made.exchange, read]) {
        const listed = schemasOf(exchange.json).map((s) => s.toLowerCase());
        const missing = sent.filter((urn) => !listed.includes(urn.toLowerCase()));
        if (missing.length > 0) return fail(`schemas does not list ${missing.join(", ")}`, exchange);
        const problems = compareResource(type, onlyExtensions, exchange.json);
        if (problems.length > 0) return fail(`extension values differ: ${problems.join("; ")}`, exchange);
      }
      if (field(read.json, "id") !== made.id) return fail(`expected id ${made.id}`, read);
      return pass();
    },
  },
];

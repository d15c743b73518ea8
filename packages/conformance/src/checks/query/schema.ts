import { field } from "../../http.js";
import { URN } from "../../outcome.js";
import type { CheckContext } from "../../types.js";

/** The characteristics of one attribute the query checks care about (RFC 7643 §2.2, §7). */
export interface AttributeInfo {
  readonly type: string;
  readonly caseExact: boolean;
  readonly multiValued: boolean;
  readonly returned: string;
}

/**
 * RFC 7643 §3.1: the common attributes belong to no schema, so /Schemas usually leaves them out; their
 * characteristics are fixed by the RFC ("SHALL take precedence over older definitions").
 */
const COMMON: Readonly<Record<string, AttributeInfo>> = {
  id: { type: "string", caseExact: true, multiValued: false, returned: "always" },
  externalId: { type: "string", caseExact: true, multiValued: false, returned: "default" },
  "meta.created": { type: "dateTime", caseExact: false, multiValued: false, returned: "default" },
  "meta.lastModified": { type: "dateTime", caseExact: false, multiValued: false, returned: "default" },
};

/**
 * What the query checks know of the User resource type: the attributes of its core schema as the
 * server's /Schemas describes them, keyed by lower-cased dotted path ("name.familyname").
 * `described` is false when discovery says nothing usable; lookups then fall back to RFC 7643 §4.1.
 */
export interface UserSchema {
  readonly described: boolean;
  /** The attribute at a dotted path, or undefined when the server's User schema does not define it. */
  attribute(path: string): AttributeInfo | undefined;
  /** Every described attribute path (top level and sub-attributes) with its characteristics. */
  readonly all: ReadonlyMap<string, AttributeInfo & { readonly path: string }>;
}

/** RFC 7643 §4.1 defaults for the attributes the query checks populate, when /Schemas is unreadable. */
const FALLBACK: Readonly<Record<string, AttributeInfo>> = {
  username: { type: "string", caseExact: false, multiValued: false, returned: "default" },
  title: { type: "string", caseExact: false, multiValued: false, returned: "default" },
  displayname: { type: "string", caseExact: false, multiValued: false, returned: "default" },
  active: { type: "boolean", caseExact: false, multiValued: false, returned: "default" },
  name: { type: "complex", caseExact: false, multiValued: false, returned: "default" },
  "name.familyname": { type: "string", caseExact: false, multiValued: false, returned: "default" },
  "name.givenname": { type: "string", caseExact: false, multiValued: false, returned: "default" },
  emails: { type: "complex", caseExact: false, multiValued: true, returned: "default" },
  "emails.value": { type: "string", caseExact: false, multiValued: false, returned: "default" },
  "emails.type": { type: "string", caseExact: false, multiValued: false, returned: "default" },
  password: { type: "string", caseExact: false, multiValued: false, returned: "never" },
};

const cache = new WeakMap<CheckContext, Promise<UserSchema>>();

/** The User schema of the target, read once per run from `ctx.discovery()`. */
export function userSchema(ctx: CheckContext): Promise<UserSchema> {
  let found = cache.get(ctx);
  if (found === undefined) {
    found = readUserSchema(ctx);
    cache.set(ctx, found);
  }
  return found;
}

async function readUserSchema(ctx: CheckContext): Promise<UserSchema> {
  const discovery = await ctx.discovery();
  const type = discovery.resourceTypes.find((t) => t.name === "User");
  const schemaId = typeof type?.schema === "string" ? type.schema : URN.user;
  const schema = discovery.schemas.find((s) => s.id === schemaId);
  const attributes = field(schema, "attributes");
  const all = new Map<string, AttributeInfo & { path: string }>();
  const walk = (list: unknown, parent: string) => {
    if (!Array.isArray(list)) return;
    for (const a of list) {
      const name = field(a, "name");
      if (typeof name !== "string") continue;
      const path = parent === "" ? name : `${parent}.${name}`;
      all.set(path.toLowerCase(), {
        path,
        type: String(field(a, "type") ?? "string"),
        // RFC 7643 §2.2: caseExact defaults to false, multiValued to false, returned to "default".
        caseExact: field(a, "caseExact") === true,
        multiValued: field(a, "multiValued") === true,
        returned: String(field(a, "returned") ?? "default").toLowerCase(),
      });
      if (parent === "") walk(field(a, "subAttributes"), path);
    }
  };
  walk(attributes, "");
  const described = all.size > 0;
  return {
    described,
    all,
    attribute(path) {
      const key = path.toLowerCase();
      const common = Object.entries(COMMON).find(([k]) => k.toLowerCase() === key)?.[1];
      return all.get(key) ?? common ?? (described ? undefined : FALLBACK[key]);
    },
  };
}

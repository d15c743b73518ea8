import type { Exchange } from "../../http.js";
import { field } from "../../http.js";
import { fail, URN } from "../../outcome.js";
import type { CheckContext, CheckOutcome } from "../../types.js";
import { endpointOf, metaOf, USER } from "../bodies.js";

/** The four Users every query check searches among; each differs from the others in a known way. */
export type Key = "alice" | "bob" | "carol" | "dave";
export const KEYS: readonly Key[] = ["alice", "bob", "carol", "dave"];

/** One created User: its key, id, userName and the body the server answered the create with. */
export interface Member {
  readonly key: Key;
  readonly id: string;
  readonly userName: string;
  readonly created: Record<string, unknown>;
}

/** The query checks' Users on the target, and the filter that selects exactly them. */
export interface Population {
  readonly endpoint: string;
  readonly members: readonly Member[];
  /** `userName sw "<prefix>q-"`: ANDed into every filter, so other data on a live server never counts. */
  readonly scope: string;
  /** The member key of an id, or the id itself for a resource that is not one of ours. */
  keyOf(id: unknown): string;
  member(key: Key): Member;
}

/** The password alice is created with; it must never come back (RFC 7643 §4.1.1, returned "never"). */
export const PASSWORD = "Conformance-Pa55word!x";

/**
 * Mixed case on purpose: sorted case-insensitively they follow the keys (anna, Bea, cleo, Dora), by
 * code point they do not (Bea, Dora, anna, cleo).
 */
export const DISPLAY_NAMES: Readonly<Record<Key, string>> = {
  alice: "anna Conformance",
  bob: "Bea Conformance",
  carol: "cleo Conformance",
  dave: "Dora Conformance",
};

/**
 * The bodies (userName order alice < bob < carol < dave; alice and carol active; alice and dave are
 * Engineers, bob a Manager, carol without title; alice has a work and a home email, bob a home one,
 * carol a work one, dave none).
 */
function bodies(ctx: CheckContext): Record<Key, Record<string, unknown>> {
  const base = (key: Key, familyName: string, externalId: string) => ({
    schemas: [URN.user],
    userName: `${ctx.prefix}q-${key}`,
    externalId: `${externalId}-${ctx.prefix}`,
    name: { givenName: key[0]?.toUpperCase() + key.slice(1), familyName },
    displayName: DISPLAY_NAMES[key],
  });
  return {
    alice: {
      ...base("alice", "Anders", "ExtAlice"),
      title: "Engineer",
      active: true,
      password: PASSWORD,
      emails: [
        { value: "alice@work.example.com", type: "work" },
        { value: "alice@home.example.org", type: "home" },
      ],
    },
    bob: {
      ...base("bob", "Brown", "ExtBob"),
      title: "Manager",
      active: false,
      emails: [{ value: "bob@home.example.org", type: "home" }],
    },
    carol: {
      ...base("carol", "Clark", "ExtCarol"),
      active: true,
      emails: [{ value: "carol@work.example.com", type: "work" }],
    },
    dave: { ...base("dave", "Davis", "ExtDave"), title: "Engineer", active: false },
  };
}

const cache = new WeakMap<CheckContext, Promise<Population | CheckOutcome>>();

/**
 * Creates the four Users once per run (the first query check that needs them pays four POSTs) and
 * answers the same Population to every later check; an outcome (skip or fail) when that is impossible.
 */
export function population(ctx: CheckContext): Promise<Population | CheckOutcome> {
  let found = cache.get(ctx);
  if (found === undefined) {
    found = createPopulation(ctx);
    cache.set(ctx, found);
  }
  return found;
}

async function createPopulation(ctx: CheckContext): Promise<Population | CheckOutcome> {
  const endpoint = await endpointOf(ctx, USER);
  if (typeof endpoint !== "string") return endpoint;
  const all = bodies(ctx);
  const members: Member[] = [];
  for (const key of KEYS) {
    let made = await ctx.create(endpoint, all[key]);
    if (made.id === undefined && made.exchange.status === 400 && "password" in all[key]) {
      // A password policy may refuse ours; the User still serves every check without one.
      const { password: _password, ...body } = all[key];
      made = await ctx.create(endpoint, body);
    }
    if (made.id === undefined) return fail(`could not create the User "${key}" to query`, made.exchange);
    const created = made.exchange.json as Record<string, unknown>;
    members.push({ key, id: made.id, userName: String(all[key].userName), created });
  }
  const byId = new Map(members.map((m) => [m.id, m.key]));
  return {
    endpoint,
    members,
    scope: `userName sw "${ctx.prefix}q-"`,
    keyOf: (id) => byId.get(id as string) ?? `(other ${String(id).slice(0, 8)})`,
    member: (key) => members.find((m) => m.key === key) as Member,
  };
}

/** True when `value` is an outcome rather than a Population. */
export function isOutcome(value: Population | CheckOutcome): value is CheckOutcome {
  return "status" in value;
}

/** meta.lastModified of a member as the server reported it at creation. */
export function lastModified(member: Member): unknown {
  return metaOf(member.created).lastModified;
}

/** The ids of a ListResponse's resources, mapped to member keys and sorted. */
export function keysOf(pop: Population, exchange: Exchange): string[] {
  const resources = field(exchange.json, "Resources");
  if (!Array.isArray(resources)) return [];
  return resources.map((r) => pop.keyOf(field(r, "id"))).sort();
}

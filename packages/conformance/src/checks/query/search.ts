import { field, resourcesOf, schemasOf } from "../../http.js";
import { fail, skip, URN } from "../../outcome.js";
import type { Check } from "../../types.js";
import { withPopulation } from "./define.js";
import { mismatch, scopedList } from "./expect.js";

const SEARCH = "RFC 7644 §3.4.3";
const SEARCH_REQUEST = "urn:ietf:params:scim:api:messages:2.0:SearchRequest";
/** The query both checks send: title pr selects alice, bob and dave. */
const FILTER = "title pr";
const EXPECTED = ["alice", "bob", "dave"] as const;

/** POST /.search (RFC 7644 §3.4.3): the same query as a GET, in a SearchRequest body. */
export const searchChecks: readonly Check[] = [
  {
    id: "query.search.endpoint",
    title: "POST <endpoint>/.search with a SearchRequest answers what the same GET answers",
    requirement: SEARCH,
    // RFC 7644 §3.4.3 offers POST queries to every client with no ServiceProviderConfig flag to say
    // they are missing, so a server without them breaks such clients: SHOULD, not MUST nor MAY.
    level: "SHOULD",
    profile: "rfc",
    writes: true,
    requires: ["filter"],
    run: withPopulation([["title"]], async (ctx, pop) => {
      const get = await scopedList(ctx, pop, FILTER);
      const wrongGet = mismatch(pop, get, EXPECTED, `GET with filter ${FILTER}`);
      if (wrongGet) return wrongGet;
      const post = await ctx.send("POST", `${pop.endpoint}/.search`, {
        body: {
          schemas: [SEARCH_REQUEST],
          filter: `(${FILTER}) and ${pop.scope}`,
          attributes: ["userName"],
          startIndex: 1,
          count: 10,
        },
      });
      const wrong = mismatch(pop, post, EXPECTED, "POST /.search");
      if (wrong) return wrong;
      for (const resource of resourcesOf(post.json) ?? []) {
        if (typeof field(resource, "userName") !== "string" || field(resource, "emails") !== undefined)
          return fail('POST /.search with attributes ["userName"]: expected userName and no emails', post);
      }
      return undefined;
    }),
  },
  {
    id: "query.search.root",
    title: "POST /.search at the service provider root finds the same Users (when offered)",
    requirement: `${SEARCH}; RFC 7644 §3.4.2.1`,
    level: "MAY",
    profile: "rfc",
    writes: true,
    requires: ["filter"],
    run: withPopulation([["title"]], async (ctx, pop) => {
      const post = await ctx.send("POST", "/.search", {
        body: { schemas: [SEARCH_REQUEST], filter: `(${FILTER}) and ${pop.scope}` },
      });
      if ([404, 405, 501].includes(post.status))
        return skip(`the server offers no search at its root (POST /.search → ${post.status})`);
      if (post.status === 200 && !schemasOf(post.json).includes(URN.listResponse))
        return fail(`expected ${URN.listResponse}`, post);
      return mismatch(pop, post, EXPECTED, "POST /.search at the root");
    }),
  },
];

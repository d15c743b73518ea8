import { parseFilter } from "@scimkit/filter";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { close } from "./__fixtures__/http.js";
import { type Reference, startReference, TOKEN, user } from "./__fixtures__/reference-server.js";
import { createScimClient } from "./index.js";

let reference: Reference;
let baseUrl: string;
const client = () => createScimClient({ baseUrl, token: TOKEN });

beforeAll(async () => {
  reference = await startReference();
  baseUrl = reference.baseUrl;
});

afterAll(() => close(reference));

describe("filters from the typed builder", () => {
  it("accepts a builder callback, a Filter tree and text, all sent as the same filter", async () => {
    const scim = client();
    await scim.users.create(user("filter-ann", { title: "Engineer", active: true }));
    await scim.users.create(user("filter-bob", { title: "Engineer", active: false }));
    await scim.users.create(user("filter-cy", { title: "Manager", active: true }));

    const byCallback = await scim.users.list({
      filter: (f) => f.and(f.sw("userName", "filter-"), f.eq("title", "Engineer"), f.eq("active", true)),
    });
    const byTree = await scim.users.list({
      filter: parseFilter('userName sw "filter-" and title eq "Engineer" and active eq true'),
    });
    const byText = await scim.users.list({
      filter: 'userName sw "filter-" and title eq "Engineer" and active eq true',
    });
    expect(byCallback.Resources.map((u) => u.userName)).toStrictEqual(["filter-ann"]);
    expect(byTree.Resources).toStrictEqual(byCallback.Resources);
    expect(byText.Resources).toStrictEqual(byCallback.Resources);
    // the wire form is the canonical text
    expect(reference.log.at(-3)).toContain(
      `filter=${encodeURIComponent('userName sw "filter-" and title eq "Engineer" and active eq true').replace(/%20/g, "+")}`,
    );
  });

  it("escapes values in the built filter text (RFC 7644 §3.4.2.2 JSON strings)", async () => {
    const scim = client();
    const tricky = 'quote"and\\backslash';
    await scim.users.create(user(tricky));
    const found = await scim.users.find((f) => f.eq("userName", tricky));
    expect(found?.userName).toBe(tricky);
    expect(await scim.users.find((f) => f.eq("userName", "nobody-has-this"))).toBeUndefined();
  });

  it("uses the builder in search and iterate, and value paths on complex attributes", async () => {
    const scim = client();
    await scim.users.create(
      user("vp-work", {
        emails: [
          { value: "vp@work.example", type: "work" },
          { value: "vp@home.example", type: "home" },
        ],
      }),
    );
    await scim.users.create(user("vp-home", { emails: [{ value: "vp2@home.example", type: "home" }] }));
    const searched = await scim.users.search({
      filter: (f) =>
        f.valuePath("emails", (e) => e.and(e.eq("type", "work"), e.ew("value", "@work.example"))),
      attributes: ["userName"],
    });
    expect(searched.Resources.map((u) => u.userName)).toStrictEqual(["vp-work"]);
    const seen: string[] = [];
    for await (const u of scim.users.iterate({ filter: (f) => f.sw("userName", "vp-"), count: 1 }))
      seen.push(u.userName);
    expect(seen.sort()).toStrictEqual(["vp-home", "vp-work"]);
  });
});

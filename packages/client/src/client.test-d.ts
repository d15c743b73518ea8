import type * as Models from "@scimkit/models";
import {
  bundle,
  type Group,
  type Meta,
  type ResourceType,
  type Schema,
  type User,
  type UserAttributePaths,
  type UserInput,
} from "@scimkit/models";
import { describe, expectTypeOf, it } from "vitest";
import type * as Client from "./index.js";
import {
  type BulkHandle,
  createScimClient,
  type ListResponse,
  type PatchOperation,
  patchBuilder,
  type Returned,
  type ServiceProviderConfig,
  type UntypedModel,
  versionOf,
} from "./index.js";
import { putFallback } from "./put-fallback.js";

const client = createScimClient({ baseUrl: "http://localhost/scim/v2", token: "t" });

describe("typed resource clients", () => {
  it("types users and groups from the models", () => {
    expectTypeOf(client.users.get("id")).resolves.toEqualTypeOf<Returned<User>>();
    expectTypeOf(client.groups.get("id")).resolves.toEqualTypeOf<Returned<Group>>();
    expectTypeOf(client.users.list()).resolves.toEqualTypeOf<ListResponse<Returned<User>>>();
    expectTypeOf(client.users.iterate()).toEqualTypeOf<AsyncIterable<Returned<User>>>();
    expectTypeOf(client.users.create).parameter(0).toEqualTypeOf<UserInput>();
    expectTypeOf(client.resource("User").get("id")).resolves.toEqualTypeOf<Returned<User>>();
  });

  const schemas: UserInput["schemas"] = ["urn:ietf:params:scim:schemas:core:2.0:User"];

  it("accepts a valid create input", () => {
    void client.users.create({ schemas, userName: "bjensen" });
  });

  it("rejects read-only and unknown attributes in create input", () => {
    // @ts-expect-error id is assigned by the server
    void client.users.create({ schemas, userName: "bjensen", id: "123" });
    // @ts-expect-error userName is a string
    void client.users.create({ schemas, userName: 42 });
  });

  it("types patch values without a path as the patch model", () => {
    void client.users.patch("id", [{ op: "replace", value: { active: false } }]);
    // @ts-expect-error active is a boolean
    void client.users.patch("id", [{ op: "replace", value: { active: "no" } }]);
  });

  it("types update from the model", () => {
    const before = {} as Returned<User>;
    expectTypeOf(client.users.update("id", before, { ...before, active: false })).resolves.toEqualTypeOf<
      Returned<User>
    >();
    // @ts-expect-error active is a boolean
    void client.users.update("id", before, { ...before, active: "no" });
  });

  it("leaves resource types outside the model map untyped", () => {
    expectTypeOf(client.resource("Device").get("id")).resolves.toEqualTypeOf<UntypedModel["resource"]>();
  });

  it("takes a model map for custom resource types", () => {
    interface Device {
      id: string;
      serial: string;
    }
    type Models = { Device: { resource: Device; input: { serial: string }; patch: { serial?: string } } };
    const custom = createScimClient<Models>({ baseUrl: "http://localhost" });
    expectTypeOf(custom.resource("Device").get("id")).resolves.toEqualTypeOf<Device>();
    // @ts-expect-error serial is required
    void custom.resource("Device").create({});
  });

  it("accepts a token provider", () => {
    createScimClient({ baseUrl: "http://x", token: async () => "t" });
    // @ts-expect-error a token is a string
    createScimClient({ baseUrl: "http://x", token: 1 });
  });

  it("types conditional GET, /Me and retry options", () => {
    expectTypeOf(client.users.get("id", { attributes: ["userName"] })).resolves.toEqualTypeOf<
      Pick<User, "id" | "schemas" | "userName">
    >();
    expectTypeOf(client.users.get("id", { ifNoneMatch: 'W/"1"' })).resolves.toEqualTypeOf<
      Returned<User> | undefined
    >();
    expectTypeOf(client.me.get()).resolves.toEqualTypeOf<Returned<User>>();
    expectTypeOf(client.me.get({ ifNoneMatch: 'W/"1"' })).resolves.toEqualTypeOf<
      Returned<User> | undefined
    >();
    expectTypeOf(client.me.patch([{ op: "replace", value: { active: false } }])).resolves.toEqualTypeOf<
      Returned<User>
    >();
    createScimClient({
      baseUrl: "http://x",
      retry: { limit: 3, methods: ["GET", "POST"], maxRetryDelay: 1_000 },
    });
    createScimClient({ baseUrl: "http://x", retry: false });
    // @ts-expect-error limit is a number
    createScimClient({ baseUrl: "http://x", retry: { limit: "3" } });
  });
});

describe("typed filters and narrowed results", () => {
  it("types the filter builder from the resource type's attribute paths", () => {
    void client.users.list({
      filter: (f) => f.and(f.eq("userName", "b"), f.gt("meta.lastModified", new Date())),
    });
    void client.groups.list({ filter: (f) => f.valuePath("members", (m) => m.eq("value", "2819c223")) });
    // @ts-expect-error userNam is not an attribute of User
    void client.users.list({ filter: (f) => f.eq("userNam", "b") });
    // @ts-expect-error active is a boolean
    void client.users.list({ filter: (f) => f.eq("active", "yes") });
    // @ts-expect-error gt does not apply to booleans (RFC 7644 §3.4.2.2)
    void client.users.iterate({ filter: (f) => f.gt("active", true) });
    // @ts-expect-error members is an attribute of Group, not User
    void client.users.find((f) => f.pr("members"));
  });

  it("narrows results to the literal attributes asked for", () => {
    expectTypeOf(client.users.list({ attributes: ["userName", "name.givenName"] })).resolves.toEqualTypeOf<
      ListResponse<Pick<User, "id" | "schemas" | "userName" | "name">>
    >();
    expectTypeOf(client.users.list({ attributes: "userName,emails" })).resolves.toEqualTypeOf<
      ListResponse<Pick<User, "id" | "schemas" | "userName" | "emails">>
    >();
    expectTypeOf(
      client.users.iterate({
        attributes: ["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager"],
      }),
    ).toEqualTypeOf<
      AsyncIterable<
        Pick<User, "id" | "schemas" | "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User">
      >
    >();
    expectTypeOf(client.users.search({ excludedAttributes: ["groups", "id"] })).resolves.toEqualTypeOf<
      ListResponse<Omit<Returned<User>, "groups">>
    >();
    // a name in another case, or a list known only at run time: id and schemas, the rest optional
    type Unknown = Pick<User, "id" | "schemas"> & Partial<Returned<User>>;
    expectTypeOf(client.users.list({ attributes: ["USERNAME"] })).resolves.toEqualTypeOf<
      ListResponse<Unknown>
    >();
    const names: string[] = [];
    expectTypeOf(client.users.list({ attributes: names })).resolves.toEqualTypeOf<ListResponse<Unknown>>();
    expectTypeOf(client.users.list({ count: 5 })).resolves.toEqualTypeOf<ListResponse<Returned<User>>>();
    expectTypeOf(client.users.find("userName pr")).resolves.toEqualTypeOf<Returned<User> | undefined>();
  });
});

describe("typed PATCH builder", () => {
  it("checks paths and values against the model", () => {
    void client.users.patch("id", (p) => [
      p.replace("active", false),
      p.add("emails", { value: "a@example.com", type: "work" }),
      p.add("emails", [{ value: "b@example.com" }]),
      p.replace("name.givenName", "Barbara"),
      p.where("emails", (e) => e.eq("type", "work")).replace("value", "c@example.com"),
      p.where("addresses", (a) => a.eq("type", "home")).remove(),
      p.remove("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager"),
      p.replace({ displayName: "Babs" }),
    ]);
    // @ts-expect-error id is readOnly
    void client.users.patch("id", (p) => p.replace("id", "x"));
    // @ts-expect-error meta.created is readOnly
    void client.users.patch("id", (p) => p.remove("meta.created"));
    // @ts-expect-error active is a boolean
    void client.users.patch("id", (p) => p.replace("active", "false"));
    // @ts-expect-error nickName is single-valued: no value filter
    void client.users.patch("id", (p) => p.where("nickName", (n) => n.pr("value")).remove());
    // @ts-expect-error emails have no sub-attribute "kind"
    void client.users.patch("id", (p) => p.where("emails", (e) => e.eq("kind", "work")).remove());
    // @ts-expect-error the path-less value is the patch model
    void client.users.patch("id", (p) => p.replace({ active: "no" }));
    void client.groups.patch("id", (p) => p.where("members", (m) => m.eq("value", "u1")).remove());
  });

  it("types patchBuilder over a path map", () => {
    const p = patchBuilder<UserAttributePaths>();
    expectTypeOf(p.replace("title", "x")).toEqualTypeOf<PatchOperation>();
    // @ts-expect-error titel is misspelt
    p.replace("titel", "x");
  });
});

describe("bulk, discovery and the PUT fallback", () => {
  it("types bulk operations per resource type and their results", async () => {
    const schemas: UserInput["schemas"] = ["urn:ietf:params:scim:schemas:core:2.0:User"];
    let handle: BulkHandle<Returned<User>> | undefined;
    const result = await client.bulk((b) => {
      handle = b.create("User", { schemas, userName: "alice" });
      b.create("Group", { schemas: [], displayName: "Admins", members: [{ value: handle.ref }] });
      b.patch("User", handle, (p) => p.replace("active", true));
      b.delete("Group", "g1", { ifMatch: 'W/"1"' });
      // @ts-expect-error userName is a string
      b.create("User", { schemas, userName: 1 });
      // @ts-expect-error Device is not a resource type of the model
      b.create("Device", {});
    });
    if (handle) {
      const outcome = result.of(handle);
      if (outcome.outcome === "ok")
        expectTypeOf(outcome.resource).toEqualTypeOf<Returned<User> | undefined>();
      if (outcome.outcome === "failed") expectTypeOf(outcome.error.status).toEqualTypeOf<number>();
    }
  });

  it("types discovery", () => {
    expectTypeOf(client.serviceProviderConfig()).resolves.toEqualTypeOf<ServiceProviderConfig>();
    expectTypeOf(client.resourceTypes()).resolves.toEqualTypeOf<ResourceType[]>();
    expectTypeOf(client.schemas()).resolves.toEqualTypeOf<Schema[]>();
    createScimClient({ baseUrl: "http://x", patch: putFallback() });
    createScimClient({ baseUrl: "http://x", patch: "native" });
    // @ts-expect-error the PATCH mode is "native" or a putFallback()
    createScimClient({ baseUrl: "http://x", patch: "put" });
  });
});

describe("ETags and meta under exactOptionalPropertyTypes (issue 11)", () => {
  const schemas: UserInput["schemas"] = ["urn:ietf:params:scim:schemas:core:2.0:User"];

  it("versionOf() goes straight into ifMatch and ifNoneMatch", async () => {
    const user = await client.users.get("id");
    expectTypeOf(versionOf(user)).toEqualTypeOf<string | undefined>();
    void client.users.replace(user.id, { schemas, userName: "b" }, { ifMatch: versionOf(user) });
    void client.users.patch(user.id, (p) => [p.replace("active", false)], { ifMatch: versionOf(user) });
    void client.users.delete(user.id, { ifMatch: versionOf(user) });
    void client.users.update(user.id, user, { ...user, active: false }, { ifMatch: versionOf(user) });
    void client.me.replace({ schemas, userName: "b" }, { ifMatch: versionOf(user) });
    void client.me.delete({ ifMatch: versionOf(user) });
    expectTypeOf(client.users.get(user.id, { ifNoneMatch: versionOf(user) })).resolves.toEqualTypeOf<
      Returned<User> | undefined
    >();
    void client.bulk((b) => {
      b.patch("User", user.id, (p) => p.replace("active", false), { ifMatch: versionOf(user) });
      b.delete("User", user.id, { ifMatch: versionOf(user) });
    });
    // @ts-expect-error an ETag is a string
    void client.users.delete(user.id, { ifMatch: 1 });
    // @ts-expect-error null is not an ETag; leave ifMatch out or undefined
    void client.users.replace(user.id, { schemas, userName: "b" }, { ifMatch: null });
  });

  it("returned resources have meta, unless a projection leaves it out (RFC 7643 §3.1)", async () => {
    const user = await client.users.get("id");
    expectTypeOf(user.meta).toEqualTypeOf<Meta>();
    expectTypeOf(user.meta.version).toEqualTypeOf<string | undefined>();
    expectTypeOf((await client.users.create({ schemas, userName: "b" })).meta).toEqualTypeOf<Meta>();
    expectTypeOf(
      (await client.groups.replace("g", { schemas: [], displayName: "G" })).meta,
    ).toEqualTypeOf<Meta>();
    expectTypeOf((await client.users.patch("id", [])).meta).toEqualTypeOf<Meta>();
    expectTypeOf((await client.me.get()).meta).toEqualTypeOf<Meta>();
    const page = await client.users.list({ filter: "userName pr" });
    expectTypeOf(page.Resources[0]?.meta).toEqualTypeOf<Meta | undefined>();
    for await (const each of client.groups.iterate()) expectTypeOf(each.meta).toEqualTypeOf<Meta>();
    const found = await client.users.find((f) => f.eq("userName", "b"));
    if (found) expectTypeOf(found.meta).toEqualTypeOf<Meta>();

    const asked = await client.users.get("id", { attributes: ["userName", "meta"] });
    expectTypeOf(asked.meta).toEqualTypeOf<Meta>();
    const projected = await client.users.get("id", { attributes: ["userName"] });
    // @ts-expect-error meta is returned "default": attributes without it leave it out
    void projected.meta;
    const excluded = await client.users.get("id", { excludedAttributes: ["meta"] });
    // @ts-expect-error excluded
    void excluded.meta;
    const unknown = await client.users.get("id", { attributes: ["USERNAME"] });
    expectTypeOf(unknown.meta).toEqualTypeOf<Meta | undefined>();

    // what goes in does not need meta; untyped resources are unchanged
    expectTypeOf<UserInput>().toMatchTypeOf<Parameters<typeof client.users.create>[0]>();
    expectTypeOf<Returned<UntypedModel["resource"]>>().toEqualTypeOf<UntypedModel["resource"]>();
    expectTypeOf<Returned<{ id: string }>>().toEqualTypeOf<{ id: string }>();
  });

  it("client options accept undefined, as their default (token: process.env.SCIM_TOKEN)", () => {
    const fromEnv: string | undefined = undefined as string | undefined;
    createScimClient({
      baseUrl: "http://x",
      token: fromEnv,
      timeout: undefined,
      retry: undefined,
      bundle: undefined,
    });
    // @ts-expect-error a token is a string or a provider
    createScimClient({ baseUrl: "http://x", token: null });
  });

  it("optional query options accept undefined, as the client leaves them out", () => {
    const count: number | undefined = undefined as number | undefined;
    const filter: string | undefined = undefined as string | undefined;
    void client.users.list({
      filter,
      count,
      startIndex: undefined,
      sortBy: undefined,
      attributes: undefined,
    });
    void client.users.iterate({ count, pagination: undefined, sortOrder: undefined });
    void client.users.search({ cursor: undefined, excludedAttributes: undefined });
    void client.users.get("id", { ifNoneMatch: undefined, attributes: undefined });
  });
});

describe("what a client user needs comes from @scimkit/client (issue 11)", () => {
  it("re-exports the core URNs and the model types", () => {
    expectTypeOf<typeof Client.USER_SCHEMA>().toEqualTypeOf<typeof Models.USER_SCHEMA>();
    expectTypeOf<typeof Client.GROUP_SCHEMA>().toEqualTypeOf<typeof Models.GROUP_SCHEMA>();
    expectTypeOf<typeof Client.ENTERPRISE_USER_SCHEMA>().toEqualTypeOf<
      typeof Models.ENTERPRISE_USER_SCHEMA
    >();
    expectTypeOf<Client.User>().toEqualTypeOf<Models.User>();
    expectTypeOf<Client.UserInput>().toEqualTypeOf<Models.UserInput>();
    expectTypeOf<Client.Group>().toEqualTypeOf<Models.Group>();
    expectTypeOf<Client.GroupInput>().toEqualTypeOf<Models.GroupInput>();
    expectTypeOf<Client.EnterpriseUser>().toEqualTypeOf<Models.EnterpriseUser>();
    expectTypeOf<Client.UserAttributePaths>().toEqualTypeOf<Models.UserAttributePaths>();
    expectTypeOf<Client.ResourceTypeModels>().toEqualTypeOf<Models.ResourceTypeModels>();
    expectTypeOf<Client.Meta>().toEqualTypeOf<Models.Meta>();
  });

  it("takes the generated bundle, for the client and for patchBuilder", () => {
    createScimClient({ baseUrl: "http://x", bundle });
    patchBuilder<UserAttributePaths>({ bundle, resourceType: "User" });
    // @ts-expect-error a bundle has schemas and resourceTypes
    createScimClient({ baseUrl: "http://x", bundle: { schemas: [] } });
  });
});

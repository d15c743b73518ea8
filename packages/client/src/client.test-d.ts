import type { Group, User, UserInput } from "@scimkit/models";
import { describe, expectTypeOf, it } from "vitest";
import { createScimClient, type ListResponse, type UntypedModel } from "./index.js";

const client = createScimClient({ baseUrl: "http://localhost/scim/v2", token: "t" });

describe("typed resource clients", () => {
  it("types users and groups from the models", () => {
    expectTypeOf(client.users.get("id")).resolves.toEqualTypeOf<User>();
    expectTypeOf(client.groups.get("id")).resolves.toEqualTypeOf<Group>();
    expectTypeOf(client.users.list()).resolves.toEqualTypeOf<ListResponse<User>>();
    expectTypeOf(client.users.iterate()).toEqualTypeOf<AsyncIterable<User>>();
    expectTypeOf(client.users.create).parameter(0).toEqualTypeOf<UserInput>();
    expectTypeOf(client.resource("User").get("id")).resolves.toEqualTypeOf<User>();
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
    const before = {} as User;
    expectTypeOf(
      client.users.update("id", before, { ...before, active: false }),
    ).resolves.toEqualTypeOf<User>();
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
    expectTypeOf(client.users.get("id", { ifNoneMatch: 'W/"1"' })).resolves.toEqualTypeOf<User | undefined>();
    expectTypeOf(client.me.get()).resolves.toEqualTypeOf<User>();
    expectTypeOf(client.me.get({ ifNoneMatch: 'W/"1"' })).resolves.toEqualTypeOf<User | undefined>();
    expectTypeOf(
      client.me.patch([{ op: "replace", value: { active: false } }]),
    ).resolves.toEqualTypeOf<User>();
    createScimClient({
      baseUrl: "http://x",
      retry: { limit: 3, methods: ["GET", "POST"], maxRetryDelay: 1_000 },
    });
    createScimClient({ baseUrl: "http://x", retry: false });
    // @ts-expect-error limit is a number
    createScimClient({ baseUrl: "http://x", retry: { limit: "3" } });
  });
});

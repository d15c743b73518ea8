import { coreBundle, type ScimBundle } from "@scimkit/core";
import { bundle as modelsBundle, type UserAttributePaths, type UserPatch } from "@scimkit/models";
import { createScimHandler, MemoryStore } from "@scimkit/server";
import { describe, expect, it } from "vitest";
import {
  createScimClient,
  ENTERPRISE_USER_SCHEMA,
  GROUP_SCHEMA,
  patchBuilder,
  USER_SCHEMA,
} from "./index.js";
import { listValues, multiValuedAttributes } from "./patch-operation.js";

const p = patchBuilder<UserAttributePaths, UserPatch>();
const work = { value: "babs@example.com", type: "work" };

describe("one value of a multi-valued attribute is sent as a list (RFC 7643 §2.4)", () => {
  it("add and replace at the attribute's path wrap one value; a list stays as it is", () => {
    expect(p.add("emails", work)).toStrictEqual({ op: "add", path: "emails", value: [work] });
    expect(p.replace("emails", work)).toStrictEqual({ op: "replace", path: "emails", value: [work] });
    expect(p.add("emails", [work, { value: "b@example.com" }])).toStrictEqual({
      op: "add",
      path: "emails",
      value: [work, { value: "b@example.com" }],
    });
    expect(p.replace("x509Certificates", { value: "MIIC" })).toMatchObject({ value: [{ value: "MIIC" }] });
    expect(patchBuilder().replace("members", { value: "2819c223" })).toMatchObject({
      value: [{ value: "2819c223" }],
    });
  });

  it("knows the attribute in any case and under its schema URN", () => {
    const any = patchBuilder();
    expect(any.add("EMAILS", work)).toMatchObject({ value: [work] });
    expect(any.add(`${USER_SCHEMA}:emails`, work)).toMatchObject({ value: [work] });
    expect(any.replace(`${GROUP_SCHEMA}:Members`, { value: "1" })).toMatchObject({ value: [{ value: "1" }] });
    expect(any.add("schemas", ENTERPRISE_USER_SCHEMA)).toMatchObject({ value: [ENTERPRISE_USER_SCHEMA] });
  });

  it("leaves singular attributes, sub-attributes, null and removals alone", () => {
    expect(p.replace("name", { givenName: "Barbara" })).toStrictEqual({
      op: "replace",
      path: "name",
      value: { givenName: "Barbara" },
    });
    expect(p.replace("active", false)).toStrictEqual({ op: "replace", path: "active", value: false });
    expect(p.replace("name.givenName", "Barbara")).toMatchObject({ value: "Barbara" });
    expect(p.replace(`${ENTERPRISE_USER_SCHEMA}:manager`, { value: "26118915" })).toMatchObject({
      value: { value: "26118915" },
    });
    expect(p.remove("emails")).toStrictEqual({ op: "remove", path: "emails" });
    expect(listValues({ op: "replace", path: "emails", value: null }, multiValuedAttributes())).toStrictEqual(
      {
        op: "replace",
        path: "emails",
        value: null,
      },
    );
  });

  it("where(...) keeps a single value: the replacement element, or one sub-attribute's value (RFC 7644 §3.5.2.3)", () => {
    const selected = p.where("emails", (e) => e.eq("type", "work"));
    expect(selected.replace({ value: "b@example.com", type: "work" })).toStrictEqual({
      op: "replace",
      path: 'emails[type eq "work"]',
      value: { value: "b@example.com", type: "work" },
    });
    expect(selected.replace("value", "b@example.com")).toStrictEqual({
      op: "replace",
      path: 'emails[type eq "work"].value',
      value: "b@example.com",
    });
    expect(selected.remove()).toStrictEqual({ op: "remove", path: 'emails[type eq "work"]' });
  });

  it("lists the multi-valued attributes of a path-less value, also under an extension's URN", () => {
    const ext = "urn:acme:params:scim:schemas:extension:2.0:User";
    const acme: ScimBundle = {
      schemas: [
        ...coreBundle().schemas,
        {
          id: ext,
          name: "AcmeUser",
          attributes: [
            {
              name: "badges",
              type: "string",
              multiValued: true,
              required: false,
              caseExact: false,
              mutability: "readWrite",
              returned: "default",
              uniqueness: "none",
            },
          ],
        },
      ],
      resourceTypes: coreBundle().resourceTypes.map((type) =>
        type.name === "User"
          ? { ...type, schemaExtensions: [...type.schemaExtensions, { schema: ext, required: false }] }
          : type,
      ),
    };
    const built = patchBuilder({ bundle: acme, resourceType: "User" }).add({
      emails: work,
      displayName: "Babs",
      [ext]: { badges: "gold" },
    });
    expect(built).toStrictEqual({
      op: "add",
      value: { emails: [work], displayName: "Babs", [ext]: { badges: ["gold"] } },
    });
    expect(patchBuilder({ bundle: acme, resourceType: "user" }).add(`${ext}:badges`, "gold")).toMatchObject({
      value: ["gold"],
    });
  });

  it("reads a custom resource type's multi-valued attributes from a bundle, and only that type's", () => {
    const device = "urn:acme:params:scim:schemas:core:2.0:Device";
    const devices: ScimBundle = {
      schemas: [
        {
          id: device,
          name: "Device",
          attributes: [
            { name: "ports", type: "integer", multiValued: true } as never,
            { name: "emails", type: "string", multiValued: false } as never,
          ],
        },
      ],
      resourceTypes: [{ name: "Device", endpoint: "/Devices", schema: device, schemaExtensions: [] }],
    };
    const d = patchBuilder({ bundle: devices, resourceType: "Device" });
    expect(d.add("ports", 443)).toMatchObject({ value: [443] });
    expect(d.add("emails", "x")).toMatchObject({ value: "x" }); // singular in Device
    expect(patchBuilder().add("ports", 443)).toMatchObject({ value: 443 }); // unknown without the bundle
    expect(patchBuilder({ resourceType: "Group" }).add("emails", "x")).toMatchObject({ value: "x" });
    // a bundle without User: RFC 7643's User still applies to it
    expect(patchBuilder({ bundle: devices, resourceType: "User" }).add("emails", work)).toMatchObject({
      value: [work],
    });
  });
});

describe("the core table", () => {
  it("is what schemas/core says (coreBundle() of @scimkit/core and the bundle of @scimkit/models)", () => {
    for (const bundle of [coreBundle(), modelsBundle as unknown as ScimBundle]) {
      for (const type of bundle.resourceTypes) {
        expect([...multiValuedAttributes(type.name)].sort()).toStrictEqual(
          [...multiValuedAttributes(type.name, bundle)].sort(),
        );
      }
      expect([...multiValuedAttributes()].sort()).toStrictEqual(
        [...multiValuedAttributes(undefined, bundle)].sort(),
      );
    }
  });
});

describe("on the wire, against scimkit's server in strict mode", () => {
  const TOKEN = "multi-valued-test-token";
  const sent: unknown[] = [];
  const handler = createScimHandler({ store: new MemoryStore(), auth: { tokens: [TOKEN] }, strict: true });
  const scim = createScimClient({
    baseUrl: "http://scim.test/scim/v2",
    token: TOKEN,
    fetch: async (url, init) => {
      if (init?.method === "PATCH" || init?.method === "POST") sent.push(JSON.parse(String(init.body)));
      return handler(new Request(url, init));
    },
  });

  it("add and replace of emails with one value, from the builder and as raw operations, succeed", async () => {
    const created = await scim.users.create({ schemas: [USER_SCHEMA], userName: "mv-babs" });
    sent.length = 0;
    const added = await scim.users.patch(created.id, (b) => [b.add("emails", work)]);
    expect(added.emails).toStrictEqual([work]);
    const replaced = await scim.users.patch(created.id, [
      { op: "replace", path: "emails", value: { value: "b@example.com", type: "home" } },
    ]);
    expect(replaced.emails).toStrictEqual([{ value: "b@example.com", type: "home" }]);
    expect(sent).toMatchObject([
      { Operations: [{ op: "add", path: "emails", value: [work] }] },
      { Operations: [{ op: "replace", path: "emails", value: [{ value: "b@example.com", type: "home" }] }] },
    ]);
    const element = await scim.users.patch(created.id, (b) => [
      b.where("emails", (e) => e.eq("type", "home")).replace({ value: "c@example.com", type: "home" }),
      b.where("emails", (e) => e.eq("type", "home")).replace("display", "C"),
    ]);
    expect(element.emails).toStrictEqual([{ value: "c@example.com", type: "home", display: "C" }]);
  });

  it("bulk PATCH and /Groups members do the same", async () => {
    const created = await scim.users.create({ schemas: [USER_SCHEMA], userName: "mv-alan" });
    const group = await scim.groups.create({ schemas: [GROUP_SCHEMA], displayName: "mv-eng" });
    const withMember = await scim.groups.patch(group.id, (b) => [b.add("members", { value: created.id })]);
    expect(withMember.members?.map((m) => m.value)).toStrictEqual([created.id]);
    sent.length = 0;
    const result = await scim.bulk((b) => {
      b.patch("User", created.id, (u) => u.add("phoneNumbers", { value: "+1 555", type: "work" }));
    });
    expect(result.operations[0]).toMatchObject({ outcome: "ok", status: 200 });
    expect(sent).toMatchObject([
      { Operations: [{ data: { Operations: [{ path: "phoneNumbers", value: [{ value: "+1 555" }] }] } }] },
    ]);
  });
});

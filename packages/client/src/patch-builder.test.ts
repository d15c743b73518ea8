import type { GroupInput } from "@scimkit/models";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { close } from "./__fixtures__/http.js";
import {
  ENTERPRISE,
  GROUP,
  type Reference,
  startReference,
  TOKEN,
  user,
} from "./__fixtures__/reference-server.js";
import { createScimClient, isScimError, patchBuilder } from "./index.js";

let reference: Reference;
let baseUrl: string;
const client = () => createScimClient({ baseUrl, token: TOKEN });

beforeAll(async () => {
  reference = await startReference();
  baseUrl = reference.baseUrl;
});

afterAll(() => close(reference));

describe("typed PATCH builder", () => {
  it("builds operations that the reference server applies", async () => {
    const scim = client();
    const created = await scim.users.create(
      user("pb-user", {
        active: true,
        emails: [
          { value: "pb@work.example", type: "work" },
          { value: "pb@home.example", type: "home", primary: true },
        ],
      }),
    );
    const patched = await scim.users.patch(created.id, (p) => [
      p.replace("active", false),
      p.replace("name.givenName", "Pat"),
      p.where("emails", (e) => e.eq("type", "work")).replace("value", "pat@work.example"),
      p.where("emails", (e) => e.eq("type", "home")).remove(),
      p.add("phoneNumbers", { value: "+1 555 0100", type: "work" }),
      p.add(`${ENTERPRISE}:employeeNumber`, "E-42"),
      p.replace({ nickName: "Patty" }),
    ]);
    expect(patched.active).toBe(false);
    expect(patched.name?.givenName).toBe("Pat");
    expect(patched.emails).toStrictEqual([{ value: "pat@work.example", type: "work" }]);
    expect(patched.phoneNumbers).toStrictEqual([{ value: "+1 555 0100", type: "work" }]);
    expect(patched[ENTERPRISE]?.employeeNumber).toBe("E-42");
    expect(patched.nickName).toBe("Patty");

    const removed = await scim.users.patch(created.id, (p) => p.remove(`${ENTERPRISE}:employeeNumber`));
    expect(removed[ENTERPRISE]).toBeUndefined();
  });

  it("writes the exact RFC 7644 §3.5.2 paths", () => {
    const p = patchBuilder();
    expect(p.where("members", (m) => m.eq("value", "2819c223")).remove()).toStrictEqual({
      op: "remove",
      path: 'members[value eq "2819c223"]',
    });
    expect(
      p.where("addresses", (a) => a.eq("type", "work")).replace("streetAddress", "1 Main St"),
    ).toStrictEqual({
      op: "replace",
      path: 'addresses[type eq "work"].streetAddress',
      value: "1 Main St",
    });
    expect(p.where("emails", (e) => e.pr("value")).replace({ primary: false })).toStrictEqual({
      op: "replace",
      path: "emails[value pr]",
      value: { primary: false },
    });
    expect(p.add({ displayName: "x" })).toStrictEqual({ op: "add", value: { displayName: "x" } });
  });

  it("rejects a malformed path before sending, as the server would (400 invalidPath)", () => {
    const p = patchBuilder();
    const error = (() => {
      try {
        p.replace("name..givenName", "x");
      } catch (e) {
        return e;
      }
    })();
    expect(isScimError(error) && error.status === 400 && error.scimType).toBe("invalidPath");
  });
});

describe("group membership through the typed builder", () => {
  it("adds and removes members by value filter", async () => {
    const scim = client();
    const a = await scim.users.create(user("member-a"));
    const b = await scim.users.create(user("member-b"));
    const input: GroupInput = { schemas: [GROUP], displayName: "members-group" };
    const group = await scim.groups.create(input);
    await scim.groups.patch(group.id, (p) => p.add("members", [{ value: a.id }, { value: b.id }]));
    const after = await scim.groups.patch(group.id, (p) =>
      p.where("members", (m) => m.eq("value", a.id)).remove(),
    );
    expect(after.members?.map((m) => m.value)).toStrictEqual([b.id]);
  });
});

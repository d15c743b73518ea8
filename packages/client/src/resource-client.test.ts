/// <reference types="node" />

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { close, rejection } from "./__fixtures__/http.js";
import { type Reference, startReference, TOKEN, user } from "./__fixtures__/reference-server.js";
import { createScimClient, type ScimClient, ScimError, versionOf } from "./index.js";

let reference: Reference;
let client: ScimClient;
/** The User id the reference server's `me` hook answers for TOKEN. */
let meId: string | undefined;

beforeAll(async () => {
  reference = await startReference({ me: () => meId });
  client = createScimClient({ baseUrl: reference.baseUrl, token: TOKEN });
});

afterAll(() => close(reference));

describe("resource CRUD against the reference server", () => {
  it("creates, gets, replaces, patches and deletes a user", async () => {
    const created = await client.users.create(user("crud", { displayName: "Barbara" }));
    expect(created.id).toEqual(expect.any(String));
    expect(created.userName).toBe("crud");

    const fetched = await client.users.get(created.id);
    expect(fetched).toStrictEqual(created);

    const projected = await client.users.get(created.id, { attributes: ["userName"] });
    expect(projected.userName).toBe("crud");
    expect(Object.keys(projected).sort()).toStrictEqual(["id", "meta", "schemas", "userName"]);

    const replaced = await client.users.replace(created.id, user("crud", { displayName: "Babs" }));
    expect(replaced.displayName).toBe("Babs");

    const patched = await client.users.patch(created.id, [
      { op: "replace", path: "displayName", value: "B." },
      { op: "add", value: { title: "Engineer" } },
    ]);
    expect(patched.displayName).toBe("B.");
    expect(patched.title).toBe("Engineer");

    const patchedAgain = await client.users.patch(created.id, {
      Operations: [{ op: "remove", path: "title" }],
    });
    expect(patchedAgain.title).toBeUndefined();

    await client.users.delete(created.id);
    const gone = await rejection(client.users.get(created.id));
    expect(gone).toBeInstanceOf(ScimError);
    expect(gone.status).toBe(404);
  });

  it("works for groups and for resource(name) with the default endpoint", async () => {
    const member = await client.users.create(user("member"));
    const group = await client.groups.create({
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"],
      displayName: "Admins",
      members: [{ value: member.id }],
    });
    expect(group.members?.[0]?.value).toBe(member.id);
    const same = await client.resource("Group").get(group.id);
    expect(same.displayName).toBe("Admins");
    const untyped = await client.resource("Group", { endpoint: "/Groups/" }).get(group.id);
    expect(untyped.id).toBe(group.id);
  });

  it("sends If-Match: a stale version rejects with 412", async () => {
    const created = await client.users.create(user("etag"));
    const version = created.meta?.version;
    expect(version).toEqual(expect.any(String));
    await client.users.replace(created.id, user("etag", { nickName: "e" }), { ifMatch: version as string });
    const stale = await rejection(client.users.delete(created.id, { ifMatch: version as string }));
    expect(stale.status).toBe(412);
  });
});

describe("ETags against the reference server", () => {
  it("captures the version from the ETag header and passes it back", async () => {
    const created = await client.users.create(user("etag-capture"));
    const version = versionOf(created);
    expect(version).toMatch(/^W\/".+"$/);
    const fetched = await client.users.get(created.id);
    expect(versionOf(fetched)).toBe(version);
    // a projection without meta still carries the version from the ETag header
    const projected = await client.users.get(created.id, { attributes: ["userName"] });
    expect(versionOf(projected)).toBe(version);

    expect(await client.users.get(created.id, { ifNoneMatch: version as string })).toBeUndefined();
    const replaced = await client.users.replace(created.id, user("etag-capture", { nickName: "n" }), {
      ifMatch: version as string,
    });
    expect(versionOf(replaced)).not.toBe(version);
    const changed = await client.users.get(created.id, { ifNoneMatch: version as string });
    expect(changed?.nickName).toBe("n");
    expect(versionOf(changed)).toBe(versionOf(replaced));
  });

  it("a stale If-Match on replace and patch rejects with ScimError 412", async () => {
    const created = await client.users.create(user("etag-412"));
    const stale = versionOf(created) as string;
    await client.users.patch(created.id, [{ op: "replace", path: "nickName", value: "x" }], {
      ifMatch: stale,
    });
    const onReplace = await rejection(client.users.replace(created.id, user("etag-412"), { ifMatch: stale }));
    expect(onReplace).toBeInstanceOf(ScimError);
    expect(onReplace.status).toBe(412);
    const onPatch = await rejection(
      client.users.patch(created.id, [{ op: "replace", path: "nickName", value: "y" }], { ifMatch: stale }),
    );
    expect(onPatch.status).toBe(412);
    expect((await client.users.get(created.id)).nickName).toBe("x");
  });
});

describe("/Me against the reference server", () => {
  it("gets, replaces, patches and deletes the authenticated subject's User", async () => {
    meId = undefined;
    expect((await rejection(client.me.get())).status).toBe(404);
    const created = await client.users.create(user("me-user", { displayName: "Me" }));
    meId = created.id;

    const me = await client.me.get();
    expect(me.id).toBe(created.id);
    expect(me.userName).toBe("me-user");
    expect(await client.me.get({ ifNoneMatch: versionOf(me) as string })).toBeUndefined();

    const replaced = await client.me.replace(user("me-user", { displayName: "Myself" }), {
      ifMatch: versionOf(me) as string,
    });
    expect(replaced.displayName).toBe("Myself");
    const patched = await client.me.patch([{ op: "replace", path: "nickName", value: "mine" }]);
    expect(patched.nickName).toBe("mine");
    expect((await client.users.get(created.id)).nickName).toBe("mine");
    expect((await rejection(client.me.delete({ ifMatch: versionOf(me) as string }))).status).toBe(412);

    await client.me.delete();
    expect((await rejection(client.users.get(created.id))).status).toBe(404);
    meId = undefined;
  });
});

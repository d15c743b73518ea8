/// <reference types="node" />
// The requests of Okta's "SCIM 2.0 test plan" (the Runscope/BlazeMeter spec test Okta asks integrators to
// pass) and Okta's SCIM 2.0 provisioning reference ("SCIM 2.0 protocol reference": create, read, update
// with PUT, deactivate with PATCH, group push). Bodies follow the examples in Okta's documentation. Steps
// run in order against one server.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  BACKENDS,
  ERROR,
  GROUP_SCHEMA,
  LIST_RESPONSE,
  PATCH_OP,
  startServer,
  type TestServer,
  USER_SCHEMA,
} from "./__fixtures__/server.js";

for (const backend of BACKENDS) {
  describe(backend.name, () => {
    let s: TestServer;
    const member = (id: string, display: string) => ({
      value: id,
      $ref: `${s.base}/Users/${id}`,
      type: "User",
      display,
    });
    beforeAll(async () => {
      s = await startServer({ token: "okta-api-token-0123456789", store: await backend.store() });
      // A user that exists before Okta connects, so the first list call returns a page.
      await s.request("/Users", {
        body: { schemas: [USER_SCHEMA], userName: "existing.user@example.com", active: true },
      });
    }, 60_000);
    afterAll(() => s.close());

    const patch = (...Operations: unknown[]) => ({ schemas: [PATCH_OP], Operations });
    const userName = `test.user.${randomUUID().slice(0, 8)}@okta.local`;

    describe("Okta SCIM 2.0 test plan", () => {
      let userId: string;
      let created: Record<string, unknown>;

      it("GET /Users?count=1&startIndex=1 → a ListResponse", async () => {
        const r = await s.request("/Users?count=1&startIndex=1");
        expect(r.status).toBe(200);
        expect(r.headers.get("content-type")).toMatch(/^application\/scim\+json/);
        expect(r.body.schemas).toEqual([LIST_RESPONSE]);
        expect(r.body).toMatchObject({ totalResults: 1, itemsPerPage: 1, startIndex: 1 });
        expect(r.body.Resources).toHaveLength(1);
        expect(r.body.Resources[0]).toMatchObject({
          id: expect.any(String),
          userName: "existing.user@example.com",
        });
      });

      it("GET /Users?filter=userName eq (no match) → 0 results", async () => {
        const r = await s.request(
          `/Users?filter=${encodeURIComponent(`userName eq "${userName}"`)}&startIndex=1&count=100`,
        );
        expect(r.status).toBe(200);
        expect(r.body).toMatchObject({ schemas: [LIST_RESPONSE], totalResults: 0, startIndex: 1 });
        expect(r.body.Resources ?? []).toEqual([]);
      });

      it("POST /Users → 201 with the user (password not returned)", async () => {
        const r = await s.request("/Users", {
          body: {
            schemas: [USER_SCHEMA],
            userName,
            name: { givenName: "Test", familyName: "User" },
            emails: [{ primary: true, value: userName, type: "work" }],
            displayName: "Test User",
            locale: "en-US",
            externalId: "00ujl29u0le5T6Aj10h7",
            groups: [],
            password: "1mz050nq",
            active: true,
          },
        });
        expect(r.status).toBe(201);
        created = r.body;
        userId = r.body.id;
        expect(r.body).toMatchObject({
          schemas: [USER_SCHEMA],
          id: expect.any(String),
          userName,
          name: { givenName: "Test", familyName: "User" },
          emails: [{ primary: true, value: userName, type: "work" }],
          displayName: "Test User",
          locale: "en-US",
          externalId: "00ujl29u0le5T6Aj10h7",
          active: true,
          meta: { resourceType: "User", location: `${s.base}/Users/${userId}` },
        });
        expect(r.body.password).toBeUndefined();
        expect(r.body.groups).toBeUndefined();
      });

      it("POST /Users with the same userName → 409 uniqueness", async () => {
        const r = await s.request("/Users", { body: { schemas: [USER_SCHEMA], userName, active: true } });
        expect(r.status).toBe(409);
        expect(r.body).toMatchObject({ schemas: [ERROR], status: "409", scimType: "uniqueness" });
      });

      it("GET /Users/{id} → the user", async () => {
        const r = await s.request(`/Users/${userId}`);
        expect(r.status).toBe(200);
        expect(r.body).toEqual(created);
      });

      it("GET /Users?filter=userName eq (match, any case) → 1 result", async () => {
        for (const name of [userName, userName.toUpperCase()]) {
          const r = await s.request(
            `/Users?filter=${encodeURIComponent(`userName eq "${name}"`)}&startIndex=1&count=100`,
          );
          expect(r.status).toBe(200);
          expect(r.body).toMatchObject({ totalResults: 1, itemsPerPage: 1, startIndex: 1 });
          expect(r.body.Resources[0].id).toBe(userId);
        }
      });

      it("GET /Users/{random id} → 404 with a SCIM error body", async () => {
        const r = await s.request(`/Users/${randomUUID()}`);
        expect(r.status).toBe(404);
        expect(r.headers.get("content-type")).toMatch(/^application\/scim\+json/);
        expect(r.body).toEqual({ schemas: [ERROR], status: "404", detail: expect.any(String) });
      });

      it("PUT /Users/{id} with the whole user, id and meta included → 200", async () => {
        const r = await s.request(`/Users/${userId}`, {
          method: "PUT",
          body: {
            schemas: [USER_SCHEMA],
            id: userId,
            userName,
            name: { givenName: "Another", familyName: "User" },
            emails: [{ primary: true, value: userName, type: "work" }],
            displayName: "Another User",
            locale: "en-US",
            externalId: "00ujl29u0le5T6Aj10h7",
            groups: [],
            password: "1mz050nq",
            active: true,
            meta: {
              resourceType: "User",
              created: "2010-01-23T04:56:22Z",
              lastModified: "2011-05-13T04:42:34Z",
            },
          },
        });
        expect(r.status).toBe(200);
        expect(r.body).toMatchObject({
          id: userId,
          name: { givenName: "Another", familyName: "User" },
          displayName: "Another User",
          active: true,
        });
        // meta is the server's, not what the client sent
        expect(r.body.meta.created).toBe((created.meta as { created: string }).created);
        expect(r.body.meta.lastModified).not.toBe("2011-05-13T04:42:34Z");
        expect(r.body.password).toBeUndefined();
      });

      it("PUT with another id in the body does not move the user", async () => {
        const r = await s.request(`/Users/${userId}`, {
          method: "PUT",
          body: {
            schemas: [USER_SCHEMA],
            id: "not-the-id",
            userName,
            displayName: "Another User",
            active: true,
          },
        });
        expect(r.status).toBe(200);
        expect(r.body.id).toBe(userId);
        expect((await s.request("/Users/not-the-id")).status).toBe(404);
      });

      it('PATCH {"op":"replace","value":{"active":false}} deactivates', async () => {
        const r = await s.request(`/Users/${userId}`, {
          method: "PATCH",
          body: patch({ op: "replace", value: { active: false } }),
        });
        expect(r.status).toBe(200);
        expect(r.body).toMatchObject({ id: userId, active: false, userName });
        const listed = await s.request(`/Users?filter=${encodeURIComponent("active eq false")}`);
        expect(listed.body.Resources.map((u: { id: string }) => u.id)).toEqual([userId]);
      });

      it("PATCH reactivates and changes a password (not returned)", async () => {
        const r = await s.request(`/Users/${userId}`, {
          method: "PATCH",
          body: patch({ op: "replace", value: { active: true, password: "newPassw0rd" } }),
        });
        expect(r.status).toBe(200);
        expect(r.body.active).toBe(true);
        expect(r.body.password).toBeUndefined();
      });

      describe("group push", () => {
        let groupId: string;
        let otherId: string;

        it("GET /Groups?count=100&startIndex=1 → an empty ListResponse", async () => {
          const r = await s.request("/Groups?count=100&startIndex=1");
          expect(r.status).toBe(200);
          expect(r.body).toMatchObject({ schemas: [LIST_RESPONSE], totalResults: 0, startIndex: 1 });
        });

        it("POST /Groups → 201", async () => {
          const r = await s.request("/Groups", {
            body: { schemas: [GROUP_SCHEMA], displayName: "Test SCIMv2", members: [] },
          });
          expect(r.status).toBe(201);
          groupId = r.body.id;
          expect(r.body).toMatchObject({
            schemas: [GROUP_SCHEMA],
            id: expect.any(String),
            displayName: "Test SCIMv2",
            meta: { resourceType: "Group", location: `${s.base}/Groups/${groupId}` },
          });
          expect(r.body.members ?? []).toEqual([]);
        });

        it("GET /Groups?filter=displayName eq and GET /Groups/{id}", async () => {
          const r = await s.request(`/Groups?filter=${encodeURIComponent('displayName eq "Test SCIMv2"')}`);
          expect(r.body.totalResults).toBe(1);
          expect(r.body.Resources[0].id).toBe(groupId);
          const one = await s.request(`/Groups/${groupId}`);
          expect(one.status).toBe(200);
          expect(one.body.displayName).toBe("Test SCIMv2");
        });

        it('PATCH add members via the "members" path', async () => {
          otherId = (
            await s.request("/Users", { body: { schemas: [USER_SCHEMA], userName: "other.user@okta.local" } })
          ).body.id;
          const r = await s.request(`/Groups/${groupId}`, {
            method: "PATCH",
            body: patch({
              op: "add",
              path: "members",
              value: [
                { value: userId, display: userName },
                { value: otherId, display: "other.user@okta.local" },
              ],
            }),
          });
          expect(r.status).toBe(200);
          // RFC 7643 §4.2: the display Okta sent is kept; type and $ref are added.
          expect(r.body.members).toEqual([
            member(userId, userName),
            member(otherId, "other.user@okta.local"),
          ]);
          // adding a member twice keeps one
          const again = await s.request(`/Groups/${groupId}`, {
            method: "PATCH",
            body: patch({ op: "add", path: "members", value: [{ value: userId, display: userName }] }),
          });
          expect(again.body.members).toHaveLength(2);
          const u = await s.request(`/Users/${userId}`);
          expect(u.body.groups).toEqual([
            expect.objectContaining({ value: groupId, display: "Test SCIMv2" }),
          ]);
        });

        it('PATCH remove via members[value eq "…"]', async () => {
          const r = await s.request(`/Groups/${groupId}`, {
            method: "PATCH",
            body: patch({ op: "remove", path: `members[value eq "${otherId}"]` }),
          });
          expect(r.status).toBe(200);
          expect(r.body.members).toEqual([member(userId, userName)]);
          expect((await s.request(`/Users/${otherId}`)).body.groups).toBeUndefined();
        });

        it('PATCH rename with {"op":"replace","value":{"id":…,"displayName":…}}', async () => {
          const r = await s.request(`/Groups/${groupId}`, {
            method: "PATCH",
            body: patch({ op: "replace", value: { id: groupId, displayName: "Test SCIMv2 renamed" } }),
          });
          expect(r.status).toBe(200);
          expect(r.body).toMatchObject({ id: groupId, displayName: "Test SCIMv2 renamed" });
          expect(r.body.members).toEqual([member(userId, userName)]);
        });

        it("PUT /Groups/{id} with the full member list (Okta's group push update)", async () => {
          const r = await s.request(`/Groups/${groupId}`, {
            method: "PUT",
            body: {
              schemas: [GROUP_SCHEMA],
              id: groupId,
              displayName: "Test SCIMv2 renamed",
              members: [{ value: otherId, display: "other.user@okta.local" }],
            },
          });
          expect(r.status).toBe(200);
          expect(r.body.members).toEqual([member(otherId, "other.user@okta.local")]);
          expect((await s.request(`/Users/${userId}`)).body.groups).toBeUndefined();
        });

        it("DELETE /Groups/{id} → 204; the users lose the group", async () => {
          const r = await s.request(`/Groups/${groupId}`, { method: "DELETE" });
          expect(r.status).toBe(204);
          expect((await s.request(`/Groups/${groupId}`)).status).toBe(404);
          expect((await s.request(`/Users/${otherId}`)).body.groups).toBeUndefined();
        });
      });
    });
  });
}

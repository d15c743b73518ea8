/// <reference types="node" />
// The requests Microsoft Entra ID provisioning sends, as Microsoft documents them in "Tutorial: Develop
// and plan provisioning for a SCIM endpoint in Microsoft Entra ID" (request/response examples for users
// and groups) and "Known issues and resolutions with SCIM 2.0 protocol compliance of the Microsoft Entra
// user provisioning service" (capitalized ops, "True"/"False" strings, path-less dotted keys, bare
// manager ids, member removal with a value list). Steps run in order against one server, as a
// provisioning cycle does.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  BACKENDS,
  ENTERPRISE,
  ERROR,
  GROUP_SCHEMA,
  LIST_RESPONSE,
  PATCH_OP,
  startServer,
  type TestServer,
  USER_SCHEMA,
} from "./__fixtures__/server.js";

const MS_GROUP_SCHEMA = "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group";
const USER_NAME = "Test_User_ab6490ee-1e48-479e-a20b-2d77186b5dd1";
const EXTERNAL_ID = "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef";

for (const backend of BACKENDS) {
  describe(backend.name, () => {
    let s: TestServer;
    const userMember = (id: string) =>
      expect.objectContaining({ value: id, type: "User", $ref: `${s.base}/Users/${id}` });
    beforeAll(async () => {
      s = await startServer({ token: "entra-secret-token", store: await backend.store() });
    }, 60_000);
    afterAll(() => s.close());

    const filterUrl = (filter: string, extra = "") => `/Users?filter=${encodeURIComponent(filter)}${extra}`;
    const patch = (...Operations: unknown[]) => ({ schemas: [PATCH_OP], Operations });

    describe("Microsoft Entra ID provisioning cycle", () => {
      let userId: string;
      let managerId: string;
      let groupId: string;

      it("tests the connection with a filter for a random userName: 200 and 0 results", async () => {
        const r = await s.request(filterUrl('userName eq "ec7a1ffc-6a09-4a28-8b8e-6b0a9b3b2a7f"'));
        expect(r.status).toBe(200);
        expect(r.headers.get("content-type")).toMatch(/^application\/scim\+json/);
        expect(r.body).toEqual({
          schemas: [LIST_RESPONSE],
          totalResults: 0,
          itemsPerPage: 0,
          startIndex: 1,
          Resources: [],
        });
      });

      it("queries the user by userName before creating it: 0 results", async () => {
        const r = await s.request(filterUrl(`userName eq "${USER_NAME}"`));
        expect(r.status).toBe(200);
        expect(r.body.totalResults).toBe(0);
      });

      it("creates the user: 201 with the resource", async () => {
        const r = await s.request("/Users", {
          body: {
            schemas: [USER_SCHEMA, ENTERPRISE],
            externalId: EXTERNAL_ID,
            userName: USER_NAME,
            active: true,
            emails: [
              {
                primary: true,
                type: "work",
                value: "Test_User_fd0ea19b-0777-472c-9f96-4f70d2226f2e@testuser.com",
              },
            ],
            meta: { resourceType: "User" },
            name: { formatted: "givenName familyName", familyName: "familyName", givenName: "givenName" },
            roles: [],
            [ENTERPRISE]: { employeeNumber: "701984", department: "Tour Operations" },
          },
        });
        expect(r.status).toBe(201);
        userId = r.body.id;
        expect(userId).toEqual(expect.any(String));
        expect(r.headers.get("location")).toBe(`${s.base}/Users/${userId}`);
        expect(r.body).toEqual({
          schemas: [USER_SCHEMA, ENTERPRISE],
          id: userId,
          externalId: EXTERNAL_ID,
          meta: {
            resourceType: "User",
            created: expect.any(String),
            lastModified: expect.any(String),
            location: `${s.base}/Users/${userId}`,
            version: expect.stringMatching(/^W\/"\d+"$/),
          },
          userName: USER_NAME,
          name: { formatted: "givenName familyName", familyName: "familyName", givenName: "givenName" },
          active: true,
          emails: [
            {
              primary: true,
              type: "work",
              value: "Test_User_fd0ea19b-0777-472c-9f96-4f70d2226f2e@testuser.com",
            },
          ],
          [ENTERPRISE]: { employeeNumber: "701984", department: "Tour Operations" },
        });
        expect(r.body.meta.created).toBe(r.body.meta.lastModified);
      });

      it("creating the same userName again: 409 uniqueness", async () => {
        const r = await s.request("/Users", {
          body: { schemas: [USER_SCHEMA], userName: USER_NAME.toUpperCase(), active: true },
        });
        expect(r.status).toBe(409);
        expect(r.body).toMatchObject({ schemas: [ERROR], status: "409", scimType: "uniqueness" });
        expect(r.body.detail).toMatch(/userName/);
      });

      it("queries by userName again: 1 result", async () => {
        const r = await s.request(filterUrl(`userName eq "${USER_NAME}"`));
        expect(r.status).toBe(200);
        expect(r.body).toMatchObject({
          schemas: [LIST_RESPONSE],
          totalResults: 1,
          itemsPerPage: 1,
          startIndex: 1,
        });
        expect(r.body.Resources[0]).toMatchObject({
          id: userId,
          userName: USER_NAME,
          externalId: EXTERNAL_ID,
        });
        const byExternalId = await s.request(filterUrl(`externalId eq "${EXTERNAL_ID}"`));
        expect(byExternalId.body.totalResults).toBe(1);
      });

      it("gets the user by id", async () => {
        const r = await s.request(`/Users/${userId}`);
        expect(r.status).toBe(200);
        expect(r.body).toMatchObject({ id: userId, userName: USER_NAME, active: true });
      });

      it('updates multi-valued and single-valued attributes with "Replace": 200 with the resource', async () => {
        const r = await s.request(`/Users/${userId}`, {
          method: "PATCH",
          body: patch(
            { op: "Replace", path: 'emails[type eq "work"].value', value: "updatedEmail@microsoft.com" },
            { op: "Replace", path: "name.familyName", value: "updatedFamilyName" },
          ),
        });
        expect(r.status).toBe(200);
        expect(r.body.id).toBe(userId);
        expect(r.body.emails).toEqual([{ primary: true, type: "work", value: "updatedEmail@microsoft.com" }]);
        expect(r.body.name).toEqual({
          formatted: "givenName familyName",
          familyName: "updatedFamilyName",
          givenName: "givenName",
        });
        expect(r.body.meta.version).not.toBe('W/"1"');
        expect(r.headers.get("etag")).toBe(r.body.meta.version);
      });

      it('a work email the user does not have yet: "Add" through the filter appends it', async () => {
        const created = await s.request("/Users", {
          body: { schemas: [USER_SCHEMA], userName: "no-email-user" },
        });
        const r = await s.request(`/Users/${created.body.id}`, {
          method: "PATCH",
          body: patch({ op: "Add", path: 'emails[type eq "work"].value', value: "new@contoso.com" }),
        });
        expect(r.status).toBe(200);
        expect(r.body.emails).toEqual([{ type: "work", value: "new@contoso.com" }]);
        expect((await s.request(`/Users/${created.body.id}`, { method: "DELETE" })).status).toBe(204);
      });

      it('disables the user with the string "False"', async () => {
        const r = await s.request(`/Users/${userId}`, {
          method: "PATCH",
          body: patch({ op: "Replace", path: "active", value: "False" }),
        });
        expect(r.status).toBe(200);
        expect(r.body.active).toBe(false);
        const on = await s.request(`/Users/${userId}`, {
          method: "PATCH",
          body: patch({ op: "Replace", path: "active", value: "True" }),
        });
        expect(on.body.active).toBe(true);
        const off = await s.request(`/Users/${userId}`, {
          method: "PATCH",
          body: patch({ op: "Replace", path: "active", value: false }),
        });
        expect(off.body.active).toBe(false);
      });

      it("path-less Replace with dotted and URN-qualified keys", async () => {
        const r = await s.request(`/Users/${userId}`, {
          method: "PATCH",
          body: patch({
            op: "Replace",
            value: {
              "name.givenName": "Barbara",
              "name.familyName": "Jensen",
              displayName: "Barbara Jensen",
              active: "True",
              [`${ENTERPRISE}:department`]: "Marketing",
            },
          }),
        });
        expect(r.status).toBe(200);
        expect(r.body.name).toEqual({
          formatted: "givenName familyName",
          givenName: "Barbara",
          familyName: "Jensen",
        });
        expect(r.body.displayName).toBe("Barbara Jensen");
        expect(r.body.active).toBe(true);
        expect(r.body[ENTERPRISE]).toEqual({ employeeNumber: "701984", department: "Marketing" });
      });

      it("single-valued userName Replace", async () => {
        const r = await s.request(`/Users/${userId}`, {
          method: "PATCH",
          body: patch({
            op: "Replace",
            path: "userName",
            value: "5b50642d-79fc-4410-9e90-4c077cdd1a59@testuser.com",
          }),
        });
        expect(r.status).toBe(200);
        expect(r.body.userName).toBe("5b50642d-79fc-4410-9e90-4c077cdd1a59@testuser.com");
      });

      it("sets the manager with a bare id string", async () => {
        const manager = await s.request("/Users", {
          body: { schemas: [USER_SCHEMA], userName: "manager@contoso.com", active: true },
        });
        managerId = manager.body.id;
        const r = await s.request(`/Users/${userId}`, {
          method: "PATCH",
          body: patch({ op: "Add", path: `${ENTERPRISE}:manager`, value: managerId }),
        });
        expect(r.status).toBe(200);
        expect(r.body[ENTERPRISE].manager).toEqual({ value: managerId });
        const replaced = await s.request(`/Users/${userId}`, {
          method: "PATCH",
          body: patch({ op: "Replace", path: `${ENTERPRISE}:manager`, value: "0b2c8b4e-manager-2" }),
        });
        expect(replaced.status).toBe(200);
        expect(replaced.body[ENTERPRISE].manager).toEqual({ value: "0b2c8b4e-manager-2" });
        // the RFC form works as well
        const rfc = await s.request(`/Users/${userId}`, {
          method: "PATCH",
          body: patch({ op: "replace", path: `${ENTERPRISE}:manager`, value: { value: managerId } }),
        });
        expect(rfc.body[ENTERPRISE].manager).toEqual({ value: managerId });
      });

      it("creates a group (with Microsoft's extra schema URN): 201", async () => {
        const r = await s.request("/Groups", {
          body: {
            schemas: [GROUP_SCHEMA, MS_GROUP_SCHEMA],
            externalId: "8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159",
            displayName: "displayName",
            meta: { resourceType: "Group" },
          },
        });
        expect(r.status).toBe(201);
        groupId = r.body.id;
        expect(r.body).toEqual({
          schemas: [GROUP_SCHEMA],
          id: groupId,
          externalId: "8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159",
          displayName: "displayName",
          meta: {
            resourceType: "Group",
            created: expect.any(String),
            lastModified: expect.any(String),
            location: `${s.base}/Groups/${groupId}`,
            version: expect.any(String),
          },
        });
      });

      it("finds the group by displayName without members", async () => {
        const r = await s.request(
          `/Groups?excludedAttributes=members&filter=${encodeURIComponent('displayName eq "displayName"')}`,
        );
        expect(r.status).toBe(200);
        expect(r.body).toMatchObject({ schemas: [LIST_RESPONSE], totalResults: 1 });
        expect(r.body.Resources[0]).toMatchObject({ id: groupId, displayName: "displayName" });
      });

      it('adds members with "Add" (and "$ref": null)', async () => {
        const r = await s.request(`/Groups/${groupId}`, {
          method: "PATCH",
          body: patch({
            op: "Add",
            path: "members",
            value: [
              { $ref: null, value: userId },
              { $ref: null, value: managerId },
            ],
          }),
        });
        expect(r.status).toBe(200);
        // RFC 7643 §4.2: members come back with their type and $ref (and display), whatever Entra sent.
        expect(r.body.members).toEqual([userMember(userId), userMember(managerId)]);
        // the group with members, and the user's derived groups
        const g = await s.request(`/Groups/${groupId}`);
        expect(g.body.members).toHaveLength(2);
        const u = await s.request(`/Users/${userId}`);
        expect(u.body.groups).toEqual([
          { value: groupId, $ref: `${s.base}/Groups/${groupId}`, display: "displayName", type: "direct" },
        ]);
        // excludedAttributes=members on a single group
        const bare = await s.request(`/Groups/${groupId}?excludedAttributes=members`);
        expect(bare.body.members).toBeUndefined();
        expect(bare.body.displayName).toBe("displayName");
        // Entra checks membership with a filter on members
        const member = await s.request(
          `/Groups?filter=${encodeURIComponent(`id eq "${groupId}" and members[value eq "${userId}"]`)}&excludedAttributes=members`,
        );
        expect(member.body.totalResults).toBe(1);
      });

      it('removes members with "Remove" and a value list', async () => {
        const r = await s.request(`/Groups/${groupId}`, {
          method: "PATCH",
          body: patch({ op: "Remove", path: "members", value: [{ $ref: null, value: managerId }] }),
        });
        expect(r.status).toBe(200);
        expect(r.body.members).toEqual([userMember(userId)]);
      });

      it('renames the group with "Replace" displayName', async () => {
        const r = await s.request(`/Groups/${groupId}`, {
          method: "PATCH",
          body: patch({
            op: "Replace",
            path: "displayName",
            value: "1879db59-3bdf-4490-ad68-ab880a269474updatedDisplayName",
          }),
        });
        expect(r.status).toBe(200);
        expect(r.body.displayName).toBe("1879db59-3bdf-4490-ad68-ab880a269474updatedDisplayName");
        const u = await s.request(`/Users/${userId}`);
        expect(u.body.groups[0].display).toBe("1879db59-3bdf-4490-ad68-ab880a269474updatedDisplayName");
      });

      it("deletes the user: 204, then 404, and it left the group", async () => {
        const r = await s.request(`/Users/${userId}`, { method: "DELETE" });
        expect(r.status).toBe(204);
        expect(r.text).toBe("");
        const gone = await s.request(`/Users/${userId}`);
        expect(gone.status).toBe(404);
        expect(gone.body).toMatchObject({ schemas: [ERROR], status: "404" });
        const again = await s.request(`/Users/${userId}`, { method: "DELETE" });
        expect(again.status).toBe(404);
        const g = await s.request(`/Groups/${groupId}`);
        expect(g.body.members).toBeUndefined();
        const search = await s.request(filterUrl(`userName eq "${USER_NAME}"`));
        expect(search.body.totalResults).toBe(0);
      });

      it("deletes the group: 204, then 404", async () => {
        expect((await s.request(`/Groups/${groupId}`, { method: "DELETE" })).status).toBe(204);
        expect((await s.request(`/Groups/${groupId}`)).status).toBe(404);
      });
    });
  });
}

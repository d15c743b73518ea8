/// <reference types="node" />
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createScimHandler, MemoryStore } from "@scimkit/server";
import { toNodeListener } from "@scimkit/server/node";
import { expect, it } from "vitest";
import { type Employee, provision } from "../examples/provision.js";
import { createScimClient } from "./index.js";

const employees: Employee[] = [
  {
    login: "ada",
    given: "Ada",
    family: "Lovelace",
    email: "ada@example.com",
    department: "Engineering",
    active: true,
  },
  {
    login: "alan",
    given: "Alan",
    family: "Turing",
    email: "alan@example.com",
    department: "Engineering",
    active: true,
  },
  {
    login: "grace",
    given: "Grace",
    family: "Hopper",
    email: "grace@example.com",
    department: "Navy",
    active: true,
  },
  {
    login: "ken",
    given: "Ken",
    family: "Thompson",
    email: "ken@example.com",
    department: "Engineering",
    active: false,
  },
  {
    login: "linus",
    given: "Linus",
    family: "T.",
    email: "linus@example.com",
    department: "Kernel",
    active: true,
  },
];

it("runs the README's provisioning script against the reference server on a real port", async () => {
  const handler = createScimHandler({
    store: new MemoryStore(),
    auth: { tokens: ["provision-test-token-0123"] },
    maxBulkOperations: 3,
  });
  const server = createServer(toNodeListener(handler));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/scim/v2`;
  try {
    const lines: string[] = [];
    const first = await provision({
      baseUrl,
      token: "provision-test-token-0123",
      employees,
      log: (l) => lines.push(l),
    });
    expect(first).toStrictEqual({ created: 5, updated: 0, deleted: 1 });
    expect(lines).toContain("bulk: 5 operations in 2 request(s), 0 failed");
    expect(lines).toContain("engineering: ada, alan");

    const scim = createScimClient({ baseUrl, token: "provision-test-token-0123" });
    const group = await scim.groups.find((f) => f.eq("displayName", "All employees"));
    // ken left: deleting a user takes them out of their groups
    expect(group?.members).toHaveLength(4);
    expect(await scim.users.find((f) => f.eq("userName", "ken"))).toBeUndefined();

    // a second run with a changed export: the first user exists (409, found by filter), two changed
    const changed = employees.map((e) => (e.login === "grace" ? { ...e, department: "Engineering" } : e));
    changed[0] = { ...(changed[0] as Employee), family: "King" };
    const second = await provision({
      baseUrl,
      token: "provision-test-token-0123",
      employees: changed,
      log: (l) => lines.push(l),
    });
    expect(second.updated).toBe(2);
    const grace = await scim.users.find((f) => f.eq("userName", "grace"));
    expect(grace?.["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"]?.department).toBe(
      "Engineering",
    );
    expect((await scim.users.find('userName eq "ada"'))?.name?.familyName).toBe("King");
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
});

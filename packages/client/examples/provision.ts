/**
 * A provisioning script as a new user of @scimkit/client would write it: push an HR export into a SCIM
 * server, keep it in step, and clean up. Type-checked with the package and run against the reference
 * server by `src/provision.test.ts`.
 */
import {
  createScimClient,
  diff,
  ENTERPRISE_USER_SCHEMA as ENTERPRISE,
  GROUP_SCHEMA as GROUP,
  isScimError,
  USER_SCHEMA as USER,
  type User,
  type UserInput,
} from "@scimkit/client";

/** One row of the HR system's export. */
export interface Employee {
  login: string;
  given: string;
  family: string;
  email: string;
  department: string;
  active: boolean;
}

function toScim(e: Employee): UserInput {
  return {
    schemas: [USER, ENTERPRISE],
    userName: e.login,
    externalId: e.login,
    name: { givenName: e.given, familyName: e.family },
    displayName: `${e.given} ${e.family}`,
    emails: [{ value: e.email, type: "work", primary: true }],
    active: e.active,
    [ENTERPRISE]: { department: e.department },
  };
}

export async function provision(options: {
  baseUrl: string;
  token: string;
  employees: readonly Employee[];
  log?: (line: string) => void;
}) {
  // biome-ignore lint/suspicious/noConsole: a script prints its progress
  const log = options.log ?? console.log;
  const scim = createScimClient({ baseUrl: options.baseUrl, token: options.token });

  // 1. Create the first employee on their own, or find them if they are already there (409 uniqueness).
  const [first, ...rest] = options.employees;
  if (first === undefined) return { created: 0, updated: 0, deleted: 0 };
  let firstUser: User;
  try {
    firstUser = await scim.users.create(toScim(first));
  } catch (error) {
    if (!(isScimError(error) && error.status === 409)) throw error;
    const existing = await scim.users.find((f) => f.eq("userName", first.login));
    if (!existing) throw error;
    firstUser = existing;
  }
  log(`created ${firstUser.userName} (${firstUser.id})`);

  // 2. Bulk-import the rest, and a group of everyone, members referring to the new users by bulkId.
  const imported = await scim.bulk(
    (b) => {
      const refs = rest.map((e) => b.create("User", toScim(e)));
      b.create("Group", {
        schemas: [GROUP],
        displayName: "All employees",
        members: [{ value: firstUser.id }, ...refs.map((r) => ({ value: r.ref }))],
      });
    },
    { failOnErrors: 10 },
  );
  for (const op of imported.operations) {
    if (op.outcome === "failed")
      log(`bulk ${op.method} ${op.path} failed: ${op.error.status} ${op.error.detail}`);
  }
  log(
    `bulk: ${imported.operations.length} operations in ${imported.requests} request(s), ${imported.errors} failed`,
  );

  // 3. Find by filter, built with checked attribute paths.
  const engineering = await scim.users.list({
    filter: (f) => f.and(f.eq(`${ENTERPRISE}:department`, "Engineering"), f.eq("active", true)),
    attributes: ["userName", "emails"],
    sortBy: "userName",
  });
  log(`engineering: ${engineering.Resources.map((u) => u.userName).join(", ")}`);

  // 4. Walk every page of every user, diff against the HR export and PATCH only what changed.
  const byLogin = new Map(options.employees.map((e) => [e.login, e]));
  let updated = 0;
  for await (const user of scim.users.iterate({ count: 2 })) {
    const employee = byLogin.get(user.userName);
    if (!employee) continue;
    const wanted: User = { ...user, ...toScim(employee), id: user.id };
    if (diff(user, wanted).length === 0) continue;
    await scim.users.update(user.id, user, wanted);
    updated++;
  }
  log(`updated ${updated} user(s)`);

  // 5. Deactivate leavers with a typed PATCH, then delete them.
  let deleted = 0;
  for await (const leaver of scim.users.iterate({
    filter: (f) => f.eq("active", false),
    attributes: ["userName"],
  })) {
    await scim.users.patch(leaver.id, (p) => [p.replace("active", false), p.remove("emails")]);
    await scim.users.delete(leaver.id);
    deleted++;
  }
  log(`deleted ${deleted} leaver(s)`);
  const created = 1 + imported.operations.filter((op) => op.outcome === "ok" && op.path === "/Users").length;
  return { created, updated, deleted };
}

/// <reference types="node" />
// CSV files for the tests and what a server holds after a sync, read back with @scimkit/client and put in a
// form two servers can be compared by (ids and meta differ between servers; what was provisioned must not).
import { writeFileSync } from "node:fs";
import { createScimClient } from "@scimkit/client";

/** One test user: the columns of {@link CSV_HEADER}. */
export interface Person {
  readonly userName: string;
  readonly givenName: string;
  readonly familyName: string;
  readonly email: string;
  readonly active: string;
  readonly department: string;
  readonly groups: string;
}

/** The header every test CSV has: attribute paths of the reference server's User (RFC 7643 §4.1, §4.3). */
export const CSV_HEADER = [
  "userName",
  "name.givenName",
  "name.familyName",
  'emails[type eq "work"].value',
  "active",
  "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department",
  "groups",
];

const GROUPS = ["Sales", "Engineering", "Support", "Finance"];

/** `count` people `prefix-00001…`, in one of four departments and groups. */
export function people(count: number, prefix = "user"): Person[] {
  return Array.from({ length: count }, (_, i) => {
    const n = String(i + 1).padStart(5, "0");
    const group = GROUPS[i % GROUPS.length] as string;
    return {
      userName: `${prefix}-${n}`,
      givenName: `Given${n}`,
      familyName: `Family${n}`,
      email: `${prefix}-${n}@example.com`,
      active: "true",
      department: group,
      groups: i % 3 === 0 ? `${group};All Staff` : group,
    };
  });
}

/** A CSV cell, quoted when RFC 4180 §2 needs it. */
function cell(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** Writes `rows` (and any raw extra lines, for bad cells) to `path` as RFC 4180 CSV. */
export function writeCsv(path: string, rows: readonly Person[]): void {
  const lines = [CSV_HEADER.map(cell).join(",")];
  for (const p of rows)
    lines.push(
      [p.userName, p.givenName, p.familyName, p.email, p.active, p.department, p.groups].map(cell).join(","),
    );
  writeFileSync(path, `${lines.join("\r\n")}\r\n`);
}

/** What a server holds, keyed by userName, comparable across servers. */
export interface ServerState {
  readonly users: Record<
    string,
    { givenName?: string; familyName?: string; email?: string; active?: boolean; department?: string }
  >;
  /** displayName → sorted member userNames. */
  readonly groups: Record<string, string[]>;
}

const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

/** Reads every user and group of the server at `url`. */
export async function readState(url: string, token: string): Promise<ServerState> {
  const client = createScimClient({ baseUrl: url, token });
  const users: Record<string, ServerState["users"][string]> = {};
  const names = new Map<string, string>();
  for await (const user of client.users.iterate({ count: 500 })) {
    const u = user as unknown as {
      id: string;
      userName: string;
      name?: { givenName?: string; familyName?: string };
      emails?: { type?: string; value: string }[];
      active?: boolean;
      [ENTERPRISE]?: { department?: string };
    };
    names.set(u.id, u.userName);
    const email = u.emails?.find((e) => e.type === "work")?.value;
    users[u.userName] = {
      ...(u.name?.givenName === undefined ? {} : { givenName: u.name.givenName }),
      ...(u.name?.familyName === undefined ? {} : { familyName: u.name.familyName }),
      ...(email === undefined ? {} : { email }),
      ...(u.active === undefined ? {} : { active: u.active }),
      ...(u[ENTERPRISE]?.department === undefined ? {} : { department: u[ENTERPRISE].department }),
    };
  }
  const groups: Record<string, string[]> = {};
  for await (const group of client.groups.iterate({ count: 500 })) {
    const g = group as unknown as { displayName: string; members?: { value: string }[] };
    groups[g.displayName] = (g.members ?? []).map((m) => names.get(m.value) ?? `?${m.value}`).sort();
  }
  return { users, groups };
}

/** The state a sync of `rows` into an empty server must leave. */
export function expectedState(rows: readonly Person[]): ServerState {
  const users: Record<string, ServerState["users"][string]> = {};
  const groups: Record<string, string[]> = {};
  for (const p of rows) {
    users[p.userName] = {
      givenName: p.givenName,
      familyName: p.familyName,
      email: p.email,
      active: p.active === "true",
      department: p.department,
    };
    for (const g of p.groups.split(";").filter((s) => s !== "")) {
      groups[g] = [...(groups[g] ?? []), p.userName];
    }
  }
  for (const members of Object.values(groups)) members.sort();
  return { users, groups };
}

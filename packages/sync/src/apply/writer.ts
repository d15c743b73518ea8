/**
 * Sends one planned action as its own request(s): POST, PATCH (or PUT where the target lacks PATCH,
 * RFC 7644 §3.5.1/§3.5.2), group creation and membership PATCHes. Records the outcome in the report.
 */
import { diff, GROUP_SCHEMA, isScimError, type PatchOperation, type ScimClient } from "@scimkit/client";
import { applyAssignments } from "../plan/assign.js";
import type { Assignment, JsonObject, PlannedAction, SyncEvent, SyncKey, SyncReport } from "../types.js";
import { failureOf } from "./outcome.js";

type Of<K extends PlannedAction["kind"]> = Extract<PlannedAction, { kind: K }>;

/** Attributes a client never writes back (RFC 7643 §3.1: the server owns them). */
const PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

const stripServerOwned = ({ id: _id, meta: _meta, groups: _groups, ...rest }: JsonObject): JsonObject => rest;

export class Writer {
  /** Ids of users this run created (or found on 409) that group memberships still need, by key. */
  readonly created = new Map<string, string>();

  constructor(
    readonly client: ScimClient,
    readonly patch: boolean,
    readonly key: SyncKey,
    readonly report: SyncReport,
    readonly emit: (event: SyncEvent) => void,
    private readonly forUpdate: (assignments: readonly Assignment[]) => readonly Assignment[],
    /** Send membership PATCHes as /Bulk operations (the target advertises bulk and PATCH). */
    private readonly bulkMembers = false,
  ) {}

  fail(error: unknown, action: PlannedAction): void {
    const where =
      action.kind === "create" || action.kind === "update" || action.kind === "unchanged"
        ? { row: action.row, key: action.key }
        : action.kind === "deactivate"
          ? { key: action.key }
          : action.kind === "error"
            ? {
                ...(action.failure.row === undefined ? {} : { row: action.failure.row }),
                ...(action.failure.key === undefined ? {} : { key: action.failure.key }),
              }
            : { key: action.group.displayName };
    const failure = action.kind === "error" ? action.failure : failureOf(error, where);
    this.report.failed.push(failure);
    this.emit({ type: "action", kind: action.kind, outcome: "failed", ...where, failure });
  }

  done(
    action: Of<"create" | "update" | "unchanged" | "deactivate">,
    outcome: "created" | "updated" | "unchanged" | "deactivated",
  ): void {
    this.report[outcome]++;
    this.emit({
      type: "action",
      kind: action.kind,
      outcome,
      ...("row" in action ? { row: action.row } : {}),
      key: action.key,
    });
  }

  /** The user with this key on the target, or undefined. */
  private async find(value: string): Promise<JsonObject | undefined> {
    const found = await this.client.users.find(`${this.key} eq ${JSON.stringify(value)}`);
    return found === undefined ? undefined : (found as unknown as JsonObject);
  }

  private async change(id: string, operations: PatchOperation[], replacement: JsonObject): Promise<void> {
    if (this.patch) await this.client.users.patch(id, operations as never);
    else await this.client.users.replace(id, stripServerOwned(replacement) as never);
  }

  async create(action: Of<"create">): Promise<void> {
    try {
      const created = (await this.client.users.create(action.body as never)) as unknown as JsonObject;
      if (action.groups !== undefined && typeof created.id === "string")
        this.created.set(action.key, created.id);
      this.done(action, "created");
    } catch (error) {
      if (isScimError(error) && error.status === 409) await this.recover(action, error);
      else this.fail(error, action);
    }
  }

  /**
   * A create that met an existing user (409 uniqueness: created by an earlier, interrupted run, a
   * retried POST, or a duplicate row): read it by key and update it instead, so reruns converge.
   */
  async recover(action: Of<"create">, conflict: unknown): Promise<void> {
    try {
      const found = await this.find(action.key);
      if (found === undefined || typeof found.id !== "string") return this.fail(conflict, action);
      if (action.groups !== undefined) this.created.set(action.key, found.id);
      const before = stripServerOwned(found);
      const after = applyAssignments(before, this.forUpdate(action.assignments));
      const operations = diff(before, after);
      if (operations.length === 0) return this.done(action, "unchanged");
      await this.change(found.id, operations, { ...after, schemas: found.schemas });
      this.done(action, "updated");
    } catch (error) {
      this.fail(error, action);
    }
  }

  async update(action: Of<"update">): Promise<void> {
    try {
      await this.change(action.id, action.operations, action.replacement);
      this.done(action, "updated");
    } catch (error) {
      this.fail(error, action);
    }
  }

  async deactivate(action: Of<"deactivate">): Promise<void> {
    try {
      await this.change(action.id, [{ op: "replace", path: "active", value: false }], action.replacement);
      this.done(action, "deactivated");
    } catch (error) {
      this.fail(error, action);
    }
  }

  async createGroup(action: Of<"createGroup">): Promise<void> {
    try {
      const body = { schemas: [GROUP_SCHEMA], displayName: action.group.displayName };
      const created = (await this.client.groups.create(body)) as unknown as JsonObject;
      action.group.id = String(created.id);
      this.emit({
        type: "action",
        kind: action.kind,
        outcome: "groupCreated",
        key: action.group.displayName,
      });
    } catch (error) {
      if (isScimError(error) && error.status === 409) {
        const found = await this.client.groups
          .find(`displayName eq ${JSON.stringify(action.group.displayName)}`)
          .catch(() => undefined);
        if (found !== undefined) {
          action.group.id = found.id;
          return;
        }
      }
      this.fail(error, action);
    }
  }

  async members(action: Of<"members">): Promise<void> {
    const id = action.group.id;
    if (id === undefined) {
      const detail = `group "${action.group.displayName}" was not created, so its ${action.add.length} new member(s) were not added`;
      return this.fail(undefined, {
        kind: "error",
        failure: { key: action.group.displayName, status: 424, detail },
      });
    }
    const add = action.add
      .map((a) => a.id ?? this.created.get(a.key))
      .filter((v): v is string => v !== undefined);
    if (add.length === 0 && action.remove.length === 0) return;
    try {
      if (this.patch) {
        const operations: PatchOperation[] = action.remove.map((m) => ({
          op: "remove",
          path: `members[value eq ${JSON.stringify(m)}]`,
        }));
        if (add.length > 0)
          operations.push({ op: "add", path: "members", value: add.map((value) => ({ value })) });
        await this.patchGroup(id, operations);
      } else await this.replaceMembers(id, add, action.remove);
      this.emit({ type: "action", kind: action.kind, outcome: "members", key: action.group.displayName });
    } catch (error) {
      this.fail(error, action);
    }
  }

  /**
   * One group's membership PATCH. Through /Bulk when the target has it: a bulk result carries the
   * status and version only (RFC 7644 §3.7.3), where a PATCH answers the whole group — thousands of
   * members the server has to look up and render, and this process to parse, for every chunk.
   */
  private async patchGroup(id: string, operations: PatchOperation[]): Promise<void> {
    if (!this.bulkMembers) {
      await this.client.groups.patch(id, operations as never);
      return;
    }
    const data = { schemas: [PATCH_OP], Operations: operations };
    const path = `/Groups/${encodeURIComponent(id)}`;
    const result = await this.client.bulk([{ method: "PATCH", path, data }]);
    const op = result.operations[0];
    if (op?.outcome === "failed") throw op.error;
    // Not processed (the bulk request failed as a whole): the PATCH on its own.
    if (op?.outcome !== "ok") await this.client.groups.patch(id, operations as never);
  }

  /** Membership change without PATCH: GET the group, change its members, PUT it (RFC 7644 §3.5.1). */
  private async replaceMembers(id: string, add: readonly string[], remove: readonly string[]): Promise<void> {
    const group = (await this.client.groups.get(id)) as unknown as JsonObject;
    const gone = new Set(remove);
    const members = (Array.isArray(group.members) ? (group.members as JsonObject[]) : []).filter(
      (m) => !gone.has(String(m.value)),
    );
    const have = new Set(members.map((m) => String(m.value)));
    for (const value of add) if (!have.has(value)) members.push({ value });
    await this.client.groups.replace(id, {
      ...stripServerOwned(group),
      members: members.map((m) => ({ value: m.value })),
    } as never);
  }
}

import { isScimError } from "@scimkit/core";
import type { Filter } from "@scimkit/filter";
import { isPlainObject } from "../resource/context.js";
import { applyPatch } from "../resource/patch/apply-patch.js";
import { deepEqual } from "../resource/patch/values.js";
import { validateResource } from "../resource/validate.js";
import { uniqueValues } from "../stores/store.js";
import { type Call, type Env, schemaOptions, scope } from "./call.js";
import type { AuditEvent } from "./options.js";

export async function audit(
  call: Call,
  event: Omit<AuditEvent, "time" | "tenant" | "subject">,
  body?: unknown,
): Promise<void> {
  // The request's record keeps the change beside it: the resource's history (recorder.ts).
  call.trace?.changes.push({
    resourceType: event.resourceType,
    ...(event.id !== undefined && { resourceId: event.id }),
    action: event.action,
    outcome: event.outcome,
    status: event.status,
    ...(event.detail !== undefined && { detail: event.detail }),
    ...(event.bulkId !== undefined && { bulkId: event.bulkId }),
    ...(body !== undefined && { body }),
  });
  const hook = call.env.options.audit;
  if (!hook) return;
  try {
    await hook({
      time: new Date().toISOString(),
      tenant: call.principal.tenant,
      subject: call.principal.subject,
      ...event,
    });
  } catch (error) {
    call.env.options.onError?.(error, call.request);
  }
}

/** Runs a write and reports it to the audit hook whatever the outcome. */
export async function audited<T>(
  call: Call,
  action: AuditEvent["action"],
  resourceType: string,
  id: string | undefined,
  work: () => Promise<T & { status: number; id?: string }>,
  bulkId?: string,
  body?: unknown,
): Promise<T & { status: number; id?: string }> {
  try {
    const result = await work();
    await audit(
      call,
      {
        action,
        resourceType,
        id: result.id ?? id,
        outcome: "success",
        status: result.status,
        ...(bulkId !== undefined && { bulkId }),
      },
      body,
    );
    return result;
  } catch (error) {
    const status = isScimError(error) ? error.status : 500;
    await audit(
      call,
      {
        action,
        resourceType,
        id,
        outcome: "failure",
        status,
        ...(isScimError(error) && { detail: error.detail }),
        ...(bulkId !== undefined && { bulkId }),
      },
      body,
    );
    throw error;
  }
}

/**
 * RFC 7643 §4.2: the resource types a resource type's `members` may reference, from its `$ref`
 * sub-attribute's `referenceTypes` (core Group: User and Group) that this service has; `undefined`
 * when the type has no such members, so the store checks nothing.
 */
export function memberTypesOf(env: Env, resourceType: string): readonly string[] | undefined {
  const value = env.registry.resolve(resourceType, "members.value");
  if (value?.parent?.multiValued !== true) return undefined;
  const referenceTypes = env.registry.resolve(resourceType, "members.$ref")?.attribute.referenceTypes ?? [];
  const types = referenceTypes
    .map((name) => env.registry.resourceType(name)?.name)
    .filter((name): name is string => name !== undefined);
  return types.length > 0 ? types : undefined;
}

/** Whether the store keeps memberships itself (ScimStore's optional membership methods). */
export function storeKeepsMemberships(env: Env): boolean {
  return (
    typeof env.options.store.membershipsOf === "function" && typeof env.options.store.membersOf === "function"
  );
}

function memberOptions(env: Env, resourceType: string): { memberTypes?: readonly string[] } {
  const memberTypes = memberTypesOf(env, resourceType);
  return memberTypes === undefined ? {} : { memberTypes };
}

export async function createResource(call: Call, resourceType: string, body: unknown, bulkId?: string) {
  return audited(
    call,
    "create",
    resourceType,
    undefined,
    async () => {
      const data = validateResource(resourceType, body, {
        operation: "create",
        strict: call.env.options.strict ?? false,
        ...schemaOptions(call.env),
      }) as Record<string, unknown>;
      const stored = await call.env.options.store.create(
        scope(call, resourceType),
        data,
        uniqueValues(call.env.registry, resourceType, data),
        memberOptions(call.env, resourceType),
      );
      return { status: 201, id: stored.id, stored };
    },
    bulkId,
    body,
  );
}

/** PUT and PATCH: the new data computed from the stored data inside the store's update, then its unique values. */
export async function updateResource(
  call: Call,
  action: "replace" | "patch",
  resourceType: string,
  id: string,
  ifVersion: number | undefined,
  bulkId: string | undefined,
  next: (current: Record<string, unknown>, strict: boolean) => Record<string, unknown>,
  body?: unknown,
) {
  return audited(
    call,
    action,
    resourceType,
    id,
    async () => {
      const stored = await call.env.options.store.update(
        scope(call, resourceType),
        id,
        (current) => {
          const data = next(current.data, call.env.options.strict ?? false);
          // RFC 7644 §3.5.2.1: a PATCH that changes nothing (a value already there) SHALL NOT change the
          // modify timestamp, so the store keeps the resource, its meta.lastModified and its version.
          if (action === "patch" && deepEqual(data, current.data)) return undefined;
          return { data, unique: uniqueValues(call.env.registry, resourceType, data) };
        },
        { ...(ifVersion !== undefined && { ifVersion }), ...memberOptions(call.env, resourceType) },
      );
      return { status: 200, id, stored };
    },
    bulkId,
    body,
  );
}

export async function replaceResource(
  call: Call,
  resourceType: string,
  id: string,
  body: unknown,
  ifVersion: number | undefined,
  bulkId?: string,
) {
  return updateResource(
    call,
    "replace",
    resourceType,
    id,
    ifVersion,
    bulkId,
    (existing, strict) => {
      const options = { operation: "replace", existing, strict, ...schemaOptions(call.env) } as const;
      return validateResource(resourceType, body, options) as Record<string, unknown>;
    },
    body,
  );
}

export async function patchResource(
  call: Call,
  resourceType: string,
  id: string,
  body: unknown,
  ifVersion: number | undefined,
  bulkId?: string,
) {
  return updateResource(
    call,
    "patch",
    resourceType,
    id,
    ifVersion,
    bulkId,
    (existing, strict) => applyPatch(existing, body, { resourceType, strict, ...schemaOptions(call.env) }),
    body,
  );
}

export async function deleteResource(
  call: Call,
  resourceType: string,
  id: string,
  ifVersion: number | undefined,
  bulkId?: string,
) {
  return audited(
    call,
    "delete",
    resourceType,
    id,
    async () => {
      // The store removes it from every group's members in the same transaction (RFC 7643 §4.2).
      await call.env.options.store.delete(scope(call, resourceType), id, {
        ...(ifVersion !== undefined && { ifVersion }),
        cascade: true,
      });
      if (
        !storeKeepsMemberships(call.env) &&
        resourceType === "User" &&
        call.env.registry.resourceType("Group")
      )
        await removeFromGroups(call, id);
      return { status: 204, id };
    },
    bulkId,
  );
}

/**
 * For a store without membership support (ScimStore.membershipsOf): removes a deleted User from every
 * group in a second step, one group at a time. Not atomic with the delete: a concurrent add can
 * leave it a member. Stores that keep memberships do this in the delete's transaction instead.
 */
export async function removeFromGroups(call: Call, userId: string): Promise<void> {
  const groupScope = scope(call, "Group");
  const filter: Filter = { op: "eq", path: { attribute: "members", subAttribute: "value" }, value: userId };
  const page = await call.env.options.store.query(groupScope, { filter, count: 100_000, startIndex: 1 });
  for (const group of page.resources) {
    await call.env.options.store
      .update(groupScope, group.id, (current) => {
        const members = Array.isArray(current.data.members) ? current.data.members : [];
        const kept = members.filter((m) => !(isPlainObject(m) && m.value === userId));
        if (kept.length === members.length) return undefined;
        const data = { ...current.data };
        if (kept.length === 0) delete data.members;
        else data.members = kept;
        return { data, unique: uniqueValues(call.env.registry, "Group", data) };
      })
      .catch((error: unknown) => {
        if (!(isScimError(error) && error.status === 404)) throw error;
      });
  }
}

import { isScimError, type ResourceTypeDefinition, type ScimError } from "@scimkit/core";
import { validateResource } from "../resource/validate.js";
import { createEach } from "../stores/create-many.js";
import { type CreateItem, type CreateOutcome, uniqueValues } from "../stores/store.js";
import { type Call, schemaOptions, scope } from "./call.js";
import { audit, memberTypesOf } from "./resources.js";

/** A bulk POST validated and ready for the store, or the validation's refusal (RFC 7644 §3.3). */
export type PreparedCreate = {
  readonly type: ResourceTypeDefinition;
  /** The operation's data (bulkIds resolved), as the audit event and the request's record keep it. */
  readonly body: unknown;
  readonly bulkId: string | undefined;
} & ({ readonly item: CreateItem } | { readonly error: ScimError });

/**
 * Validates a bulk POST's data as `POST /{endpoint}` would (`createResource`); a ScimError is kept as
 * the operation's outcome, to be reported in its turn.
 */
export function prepareCreate(
  call: Call,
  type: ResourceTypeDefinition,
  body: unknown,
  bulkId: string | undefined,
): PreparedCreate {
  try {
    const data = validateResource(type.name, body, {
      operation: "create",
      strict: call.env.options.strict ?? false,
      ...schemaOptions(call.env),
    }) as Record<string, unknown>;
    return { type, body, bulkId, item: { data, unique: uniqueValues(call.env.registry, type.name, data) } };
  } catch (error) {
    if (!isScimError(error)) throw error;
    return { type, body, bulkId, error };
  }
}

/**
 * Creates consecutive bulk POSTs of one resource type, in order: each run of valid ones with one
 * `createMany` of the store (one by one through `create` for stores without it), stopping after
 * `maxFailures` failures (refusals included), then one audit event per operation in order, as
 * `createResource` reports it. Resolves to the outcome of each operation processed.
 */
export async function createBatch(
  call: Call,
  entries: readonly PreparedCreate[],
  maxFailures: number | undefined,
): Promise<CreateOutcome[]> {
  const first = entries[0];
  if (first === undefined) return [];
  const { store } = call.env.options;
  const where = scope(call, first.type.name);
  const memberTypes = memberTypesOf(call.env, first.type.name);
  const outcomes: CreateOutcome[] = [];
  let failures = 0;
  for (let i = 0; i < entries.length; ) {
    if (maxFailures !== undefined && failures >= maxFailures) break;
    const entry = entries[i] as PreparedCreate;
    if ("error" in entry) {
      outcomes.push({ error: entry.error });
      failures++;
      i++;
      continue;
    }
    let end = i;
    while (end < entries.length && "item" in (entries[end] as PreparedCreate)) end++;
    const run = entries.slice(i, end) as (PreparedCreate & { item: CreateItem })[];
    const options = {
      ...(memberTypes !== undefined && { memberTypes }),
      ...(maxFailures !== undefined && { maxFailures: maxFailures - failures }),
    };
    const items = run.map((r) => r.item);
    let done: CreateOutcome[];
    try {
      done = store.createMany
        ? await store.createMany(where, items, options)
        : await createEach(store, where, items, options);
    } catch (error) {
      // Not a SCIM failure (a lost connection): the request answers 500. The operations decided so far are
      // reported as they went, those of this run as failed (500), as createResource reports a thrown write.
      for (let k = 0; k < outcomes.length; k++)
        await auditCreate(call, entries[k] as PreparedCreate, outcomes[k] as CreateOutcome);
      for (const r of run) await auditCreate(call, r, { error: undefined });
      throw error;
    }
    outcomes.push(...done);
    failures += done.filter((outcome) => "error" in outcome).length;
    if (done.length < run.length) break;
    i = end;
  }
  for (let i = 0; i < outcomes.length; i++)
    await auditCreate(call, entries[i] as PreparedCreate, outcomes[i] as CreateOutcome);
  return outcomes;
}

/** The audit event (and the request record's change) `createResource` reports for one create. */
function auditCreate(
  call: Call,
  entry: PreparedCreate,
  outcome: CreateOutcome | { error: undefined },
): Promise<void> {
  const common = {
    action: "create" as const,
    resourceType: entry.type.name,
    ...(entry.bulkId !== undefined && { bulkId: entry.bulkId }),
  };
  if ("stored" in outcome)
    return audit(call, { ...common, id: outcome.stored.id, outcome: "success", status: 201 }, entry.body);
  const { error } = outcome;
  return audit(
    call,
    {
      ...common,
      id: undefined,
      outcome: "failure",
      status: error?.status ?? 500,
      ...(error !== undefined && { detail: error.detail }),
    },
    entry.body,
  );
}

import { isScimError } from "@scimkit/core";
import type { CreateItem, CreateManyOptions, CreateOutcome, ScimStore, StoreScope } from "./store.js";

/**
 * {@link ScimStore.createMany} by way of `create`, one item after another: the reference semantics
 * every store's `createMany` has, used by stores without a faster path (MemoryStore), for items a faster
 * path cannot take (members to check and lock), and by the handler for stores without `createMany`.
 *
 * @example
 * const outcomes = await createEach(store, scope, items, { maxFailures: 1 });
 */
export async function createEach(
  store: Pick<ScimStore, "create">,
  scope: StoreScope,
  items: readonly CreateItem[],
  options: CreateManyOptions = {},
): Promise<CreateOutcome[]> {
  const { maxFailures, ...createOptions } = options;
  const outcomes: CreateOutcome[] = [];
  let failures = 0;
  for (const item of items) {
    if (maxFailures !== undefined && failures >= maxFailures) break;
    try {
      outcomes.push({ stored: await store.create(scope, item.data, item.unique, createOptions) });
    } catch (error) {
      if (!isScimError(error)) throw error;
      failures++;
      outcomes.push({ error });
    }
  }
  return outcomes;
}

import { CHECKS } from "../registry.js";

/**
 * Checks the core schemas give nothing to run on, so the reference handler (User, Group, the enterprise
 * extension) skips them: no resource type besides User and Group (crud.custom.*), no single-valued
 * immutable attribute (crud.immutable). The custom Device server of src/checks/crud.test.ts passes them.
 * In registry (run) order.
 */
export const CORE_SKIPS: readonly string[] = CHECKS.filter(
  (c) => c.id.startsWith("crud.custom.") || c.id === "crud.immutable",
).map((c) => c.id);

/** Whether the reference handler skips `id` for want of a custom resource type or immutable attribute. */
export function isCoreSkip(id: string): boolean {
  return CORE_SKIPS.includes(id);
}

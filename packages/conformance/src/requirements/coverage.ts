import { PENDING_COVERAGE } from "./coverage-pending.js";

/**
 * Which checks cover which requirement, by id: `{ [requirementId]: checkId[] }`.
 *
 * The rule (see coverage-status.ts and the README's "RFC coverage" section): a listed check covers a
 * requirement only if its `requirement` string cites the requirement's section, which a test enforces.
 * A check that appears anywhere in this map covers exactly what it is listed for. A check that does not
 * appear here yet covers, "by section", every requirement of each section it cites that has no entry here.
 * So a new check counts at once (by section), and mapping it here makes its coverage precise.
 * Entries for checks still on other branches wait in coverage-pending.ts (see activeCoverage).
 */
export const COVERAGE: Readonly<Record<string, readonly string[]>> = {
  "7643-3.1-assign-id-meta": ["crud.user.create-meta", "crud.group.create-meta"],
  "7643-3.1-meta-datetimes": ["crud.user.create-meta", "crud.group.create-meta"],
  "7643-4.1.1-password-never-returned": ["security.password-never-returned"],
  "7643-4.1.1-user-name-case-insensitive": ["errors.user-name-uniqueness"],
  "7643-4.1.1-user-name-required": ["errors.missing-required"],
  "7643-4.1.1-user-name-unique": ["errors.user-name-uniqueness"],
  "7643-5-spc-required-attributes": ["discovery.service-provider-config-features"],
  "7643-6-extension-schema": ["discovery.resource-type-schemas"],
  "7643-6-resource-type-schema": ["discovery.resource-type-schemas"],
  "7644-2-authenticated-client": ["security.no-token", "security.wrong-token"],
  "7644-3.1-media-type": ["errors.content-type"],
  "7644-3.3-create-201": ["crud.user.create-status", "crud.group.create-status"],
  "7644-3.3-create-conflict-409": ["errors.user-name-uniqueness"],
  "7644-3.3-create-location": ["crud.user.create-location", "crud.group.create-location"],
  "7644-3.4.1-get-200": ["crud.user.read", "crud.group.read"],
  "7644-3.4.2.2-filter-only-matching": ["query.user-name-eq"],
  "7644-3.4.2.2-filter-unknown-400": ["errors.invalid-filter"],
  "7644-3.4.2.4-count-maximum": ["query.pagination"],
  "7644-3.4.2.4-count-zero": ["query.count-zero"],
  "7644-3.4.2.4-items-per-page": ["query.pagination"],
  "7644-3.4.2.4-start-index-one-based": ["query.pagination"],
  "7644-3.4.2.4-total-results-all-pages": ["query.pagination", "query.count-zero"],
  "7644-3.5.1-put-200": ["crud.user.replace", "crud.group.replace"],
  "7644-3.5.1-put-replaces": ["crud.user.replace", "crud.group.replace"],
  "7644-3.5.2-patch-atomic": ["patch.atomic"],
  "7644-3.5.2.1-add-multi-valued": ["patch.group-add-member"],
  "7644-3.5.2.2-remove-value-filter": ["patch.group-remove-member"],
  "7644-3.5.2.3-replace-single-valued": ["patch.replace-simple"],
  "7644-3.6-delete-204": ["crud.user.delete", "crud.group.delete"],
  "7644-3.6-delete-then-404": ["crud.user.delete", "crud.group.delete"],
  "7644-3.12-error-body": ["errors.not-found"],
  "7644-3.12-invalid-value": ["errors.missing-required"],
  "7644-3.12-not-found-404": ["errors.not-found"],
  "7644-3.14-etag-changes": ["crud.user.version-changes", "crud.group.version-changes"],
  "7644-3.14-etag-meta-version": ["crud.user.meta-version", "crud.group.meta-version"],
  "7644-4-resource-types-endpoint": ["discovery.resource-types"],
  "7644-4-schemas-endpoint": ["discovery.schemas"],
  "7644-4-spc-endpoint": ["discovery.service-provider-config"],
};

/**
 * The map coverage() is applied with: COVERAGE, plus the PENDING_COVERAGE entries whose checks are
 * registered (merged per requirement, without duplicates).
 *
 * @example
 * coverage(REQUIREMENTS, CHECKS, activeCoverage(CHECKS.map((c) => c.id)));
 */
export function activeCoverage(registered: Iterable<string>): Record<string, readonly string[]> {
  const known = new Set(registered);
  const map: Record<string, readonly string[]> = { ...COVERAGE };
  for (const [requirementId, checkIds] of Object.entries(PENDING_COVERAGE)) {
    const active = checkIds.filter((id) => known.has(id));
    if (active.length > 0) map[requirementId] = [...new Set([...(map[requirementId] ?? []), ...active])];
  }
  return map;
}

import type { Check } from "../types.js";
import { caseChecks } from "./query/case.js";
import { cursorChecks } from "./query/cursor.js";
import { logicChecks } from "./query/logic.js";
import { operatorChecks } from "./query/operators.js";
import { pagingChecks } from "./query/paging.js";
import { projectionChecks } from "./query/projection.js";
import { searchChecks } from "./query/search.js";
import { sortChecks } from "./query/sort.js";

/**
 * The query area (RFC 7644 §3.4.2, §3.4.3, §3.9; RFC 9865): filters, sorting, paging, cursors,
 * projection and POST searches, all against four Users the first of them creates.
 */
export const queryChecks: readonly Check[] = [
  ...operatorChecks,
  ...caseChecks,
  ...logicChecks,
  ...pagingChecks,
  ...sortChecks,
  ...cursorChecks,
  ...projectionChecks,
  ...searchChecks,
];

import { isScimError, ScimError } from "@scimkit/core";

/** The SQLSTATE of a driver error (`pg` and PGlite both set `code`), if it has one. */
export function sqlState(error: unknown): string | undefined {
  const code = typeof error === "object" && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === "string" && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

// 40P01 deadlock_detected, 40001 serialization_failure: the transaction lost a race and may simply run
// again. A member lock (FOR KEY SHARE) and a delete's lock of the same rows taken in opposite orders
// end in a deadlock PostgreSQL breaks by aborting one of them.
const RETRYABLE = new Set(["40P01", "40001"]);

/**
 * Runs a transaction, running it again (up to `attempts` times, with a short random pause) when
 * PostgreSQL aborted it for a deadlock or a serialization failure. `fn` must be safe to run again:
 * store transactions read everything they need inside the transaction.
 *
 * @example
 * await retrying(() => client.transaction(async (tx) => ...));
 */
export async function retrying<T>(fn: () => Promise<T>, attempts = 5): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (error) {
      const state = sqlState(error);
      if (attempt >= attempts || state === undefined || !RETRYABLE.has(state)) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * attempt));
    }
  }
}

// 22P05 untranslatable_character (jsonb "\u0000"), 22021 character_not_in_repertoire (a NUL byte in
// text), 22P02 invalid_text_representation (a lone surrogate escape in JSON, a number that is no bigint).
const BAD_INPUT = new Set(["22P05", "22021", "22P02"]);

/**
 * A PostgreSQL error caused by a value PostgreSQL cannot take as a SCIM 400 (`invalidValue` for
 * writes, `invalidFilter` for queries) instead of a 500; anything else unchanged. The stores check
 * values before they reach the database; this catches what a check missed.
 *
 * @example
 * try { await write(); } catch (error) { throw badInput(error, "invalidValue"); }
 */
export function badInput(error: unknown, scimType: "invalidValue" | "invalidFilter"): unknown {
  if (isScimError(error)) return error;
  const state = sqlState(error);
  if (state === undefined || !BAD_INPUT.has(state)) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new ScimError({
    status: 400,
    scimType,
    detail: `PostgreSQL refused a value of this ${scimType === "invalidFilter" ? "query" : "resource"}: ${message}${state === "22P02" ? "" : "; NUL characters and lone surrogates cannot be stored (RFC 7643 §2.3.1)"}`,
    cause: error,
  });
}

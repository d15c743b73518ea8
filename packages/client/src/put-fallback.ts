/**
 * `@scimkit/client/put-fallback`: PATCH for servers that do not support it (RFC 7643 §5
 * `patch.supported: false`), applied on the client and sent as PUT. A separate entry point, so
 * applications that never need it do not bundle the PATCH engine and the schemas it reads.
 */
import type { ScimBundle } from "@scimkit/core";
import { applyPatchLocally } from "./local-patch.js";
import type { PutFallback } from "./options.js";
import type { PatchOperation } from "./patch-operation.js";

export type { PutFallback };
export { applyPatchLocally };

/** Options of {@link putFallback}. */
export interface PutFallbackOptions {
  /**
   * `"unsupported"` (default): only when the server's ServiceProviderConfig says `patch.supported: false`
   * (read once per client and cached); `"always"`: for every `patch` and `update`.
   */
  when?: "unsupported" | "always";
  /**
   * Your generated `bundle` (`scimkit generate`), so value filters on your own attributes are evaluated
   * with their schema (case-exactness, types); default the RFC 7643 core User, Group and EnterpriseUser.
   */
  bundle?: ScimBundle;
}

/**
 * The `patch` option of `createScimClient` that emulates PATCH with GET, a local PatchOp and PUT
 * `If-Match` (re-reading up to 3 times when a concurrent change answers 412).
 *
 * @example
 * import { putFallback } from "@scimkit/client/put-fallback";
 * const scim = createScimClient({ baseUrl, token, patch: putFallback() });
 */
export function putFallback(options: PutFallbackOptions = {}): PutFallback {
  const { when = "unsupported", bundle } = options;
  return {
    when,
    apply: (resource: object, operations: readonly PatchOperation[], context: { resourceType: string }) =>
      applyPatchLocally(resource, operations, { resourceType: context.resourceType, bundle }),
  };
}

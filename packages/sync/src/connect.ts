/** Opens a SCIM server for sync: the client, its User schema and the capabilities that pick how to write. */
import { createScimClient, type ScimClient } from "@scimkit/client";
import type { ResourceTypeDefinition, SchemaDefinition } from "@scimkit/core";
import { bundle } from "@scimkit/models";
import { SyncUsageError } from "./errors.js";
import { UserSchema } from "./schema/user-schema.js";
import type { ServerTarget } from "./types.js";

/**
 * A client for a URL and token. Retries (RFC 7644 §3.12 429/503 with `Retry-After`, done by the client)
 * cover POST and PATCH too: a create retried after it landed answers 409 `uniqueness`, which sync
 * resolves by reading the user by key, so no duplicate is made when matching by `userName`.
 */
export function clientFor(to: ServerTarget | ScimClient): ScimClient {
  if ("users" in to) return to;
  try {
    new URL(to.url);
  } catch {
    throw new SyncUsageError(`"${to.url}" is not a URL; give the SCIM base URL, e.g. https://host/scim/v2`);
  }
  return createScimClient({
    baseUrl: to.url,
    token: to.token,
    retry: { limit: 5, methods: ["GET", "HEAD", "PUT", "DELETE", "PATCH", "POST"] },
  });
}

/** What sync knows of a server. */
export interface Connected {
  client: ScimClient;
  schema: UserSchema;
  patch: boolean;
  bulk: { supported: boolean; maxOperations: number; maxPayloadSize: number };
}

const describe = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * Reads ServiceProviderConfig, /ResourceTypes and /Schemas (RFC 7644 §4). A server without readable
 * schemas gets RFC 7643's core User with the EnterpriseUser extension; one without a readable
 * ServiceProviderConfig is assumed to support PATCH (RFC 7644 §3.5.2 makes it the update method
 * every IdP uses) and not bulk.
 */
export async function connect(to: ServerTarget | ScimClient): Promise<Connected> {
  const client = clientFor(to);
  let config: Awaited<ReturnType<ScimClient["serviceProviderConfig"]>> | undefined;
  try {
    config = await client.serviceProviderConfig();
  } catch (error) {
    if (error instanceof TypeError || (error as { status?: number }).status === 401)
      throw new SyncUsageError(`cannot read the SCIM server: ${describe(error)}`);
    config = undefined;
  }
  let schemas: readonly SchemaDefinition[] = bundle.schemas;
  let resourceTypes: readonly ResourceTypeDefinition[] = bundle.resourceTypes;
  try {
    const [s, t] = await Promise.all([client.schemas(), client.resourceTypes()]);
    if (s.length > 0) {
      schemas = s as unknown as SchemaDefinition[];
      resourceTypes = t as unknown as ResourceTypeDefinition[];
    }
  } catch {
    // RFC 7644 §4 makes discovery a MUST, but a server without it still takes the core schemas.
  }
  let schema: UserSchema;
  try {
    schema = UserSchema.from(schemas, resourceTypes);
  } catch (error) {
    throw new SyncUsageError(describe(error));
  }
  const bulk = config?.bulk;
  return {
    client,
    schema,
    patch: config?.patch?.supported !== false,
    bulk: {
      supported: bulk?.supported === true,
      maxOperations: bulk?.maxOperations ?? 0,
      maxPayloadSize: bulk?.maxPayloadSize ?? 0,
    },
  };
}

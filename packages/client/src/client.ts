/** `createScimClient`: one client's transport, discovery, resource clients and bulk, wired together. */
import type { ResourceTypeModels } from "@scimkit/models";
import { createBulk } from "./bulk-request.js";
import { createDiscovery } from "./discovery.js";
import type { ScimClientOptions } from "./options.js";
import { multiValuedAttributes } from "./patch-operation.js";
import { createResources } from "./resource-client.js";
import { createTransport } from "./transport.js";
import type { ResourceClient, ResourceModel, ResourceOptions, ScimClient } from "./types.js";

/**
 * Create a SCIM 2.0 client (on `fetch`, or on ky when `ky` options are given).
 *
 * @example
 * const client = createScimClient({ baseUrl: "http://localhost:8080/scim/v2", token: "secret" });
 * const user = await client.users.create({ userName: "bjensen" });
 */
export function createScimClient<M extends object = ResourceTypeModels>(
  options: ScimClientOptions,
): ScimClient<M> {
  // which attributes are multi-valued, per resource type: their PATCH values are sent as lists
  const multiValuedOf = (resourceType: string) => multiValuedAttributes(resourceType, options.bundle);
  const transport = createTransport(options);
  const { serviceProviderConfig, resourceTypes, schemas } = createDiscovery(transport.call);
  const { single, resourceClient } = createResources(
    transport,
    serviceProviderConfig,
    options.patch,
    multiValuedOf,
  );

  const endpointOf = (name: string, given?: string) => given ?? options.endpoints?.[name] ?? `/${name}s`;
  const clients = new Map<string, ResourceClient<ResourceModel>>();
  const resource = (name: string, resourceOptions: ResourceOptions = {}) => {
    const endpoint = endpointOf(name, resourceOptions.endpoint);
    const key = `${name}\u0000${endpoint}`;
    const found = clients.get(key) ?? resourceClient(name, endpoint);
    clients.set(key, found);
    return found;
  };

  return {
    users: resource("User"),
    groups: resource("Group"),
    resource,
    me: single("Me", "Me", "User"),
    bulk: createBulk<M>(transport.call, serviceProviderConfig, endpointOf, multiValuedOf),
    serviceProviderConfig,
    resourceTypes,
    schemas,
  } as unknown as ScimClient<M>;
}

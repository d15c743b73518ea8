/** Discovery (RFC 7644 §4): the ServiceProviderConfig, cached per client, and the ResourceTypes and Schemas lists. */
import type { ResourceType, Schema } from "@scimkit/models";
import { normalizeList } from "./response.js";
import type { Transport } from "./transport.js";
import type { ListResponse, ScimClient, ServiceProviderConfig } from "./types.js";

/** The discovery methods of a client. */
export function createDiscovery(
  call: Transport["call"],
): Pick<ScimClient, "serviceProviderConfig" | "resourceTypes" | "schemas"> {
  // Cached per client: iterate's "auto" pagination, the PUT fallback and bulk limits read it.
  let config: Promise<ServiceProviderConfig> | undefined;
  const serviceProviderConfig = ({ refresh = false }: { refresh?: boolean } = {}) => {
    if (refresh || config === undefined) {
      const pending = call<ServiceProviderConfig>("ServiceProviderConfig", "ServiceProviderConfig", {
        method: "get",
      });
      config = pending;
      pending.catch(() => {
        if (config === pending) config = undefined; // a failure is not cached
      });
    }
    return config;
  };
  const listAll = async <T>(path: string): Promise<T[]> => {
    const answer = await call<Partial<ListResponse<T>> | T[] | null>(path, path, { method: "get" });
    return Array.isArray(answer) ? answer : normalizeList(answer, `GET ${path}`).Resources;
  };

  return {
    serviceProviderConfig,
    resourceTypes: () => listAll<ResourceType>("ResourceTypes"),
    schemas: () => listAll<Schema>("Schemas"),
  };
}

/** The resource methods: get / replace / patch / update / delete of one resource, and a resource type's client. */
import { isScimError, PATCH_OP_URN } from "@scimkit/core";
import { iterate, paginationChooser } from "./iterate.js";
import { listParams, projection, searchBody } from "./list-query.js";
import type { PutFallback, ScimClientOptions } from "./options.js";
import type { DiffOptions } from "./patch-diff.js";
import { patchOperations } from "./patch-input.js";
import type { MultiValued, PatchOperation } from "./patch-operation.js";
import { normalizeList, readResource, versionOf } from "./response.js";
import { describeCall, jsonInit, type Request_, type Transport } from "./transport.js";
import type {
  FilterInput,
  GetOptions,
  IterateQuery,
  ListQuery,
  PatchInput,
  ResourceClient,
  ResourceModel,
  ServiceProviderConfig,
  WriteOptions,
} from "./types.js";

/** The resource without what a PUT must not carry back: `meta` is the server's (RFC 7643 §3.1). */
function forPut(resource: object): object {
  const { meta: _meta, ...rest } = resource as { meta?: unknown };
  return rest;
}

/** How many times an emulated PATCH re-reads the resource after a 412 from a concurrent change. */
const PUT_FALLBACK_ATTEMPTS = 3;

/**
 * The resource methods of a client: `single` for one resource path, `resourceClient` for a resource type.
 * `serviceProviderConfig` is read by the PUT fallback and by `iterate`'s "auto" pagination; `multiValuedOf`
 * says which attributes are multi-valued, per resource type (their PATCH values are sent as lists).
 */
export function createResources(
  { send, call, callResource }: Transport,
  serviceProviderConfig: () => Promise<ServiceProviderConfig>,
  patchOption: ScimClientOptions["patch"],
  multiValuedOf: (resourceType: string) => MultiValued,
) {
  const fallback = typeof patchOption === "object" ? patchOption : undefined;
  const usePut = async (): Promise<boolean> => {
    if (fallback === undefined) return false;
    if (fallback.when === "always") return true;
    return (await serviceProviderConfig()).patch?.supported === false;
  };

  /** GET of the resource at `path`; `undefined` on 304 when `ifNoneMatch` was given. The hot path: nothing is built that the query does not need. */
  async function getAt(name: string, path: string, query?: GetOptions): Promise<object | undefined> {
    const init: Request_ = { method: "get" };
    if (query !== undefined) {
      if (query.attributes !== undefined || query.excludedAttributes !== undefined) {
        init.searchParams = new URLSearchParams();
        projection(init.searchParams, query);
      }
      if (query.ifNoneMatch !== undefined) init.headers = { "if-none-match": query.ifNoneMatch };
    }
    try {
      return await callResource<object>(name, path, init);
    } catch (error) {
      if (query?.ifNoneMatch !== undefined && isScimError(error) && error.status === 304) return undefined;
      throw error;
    }
  }

  /** get / replace / patch / delete of the resource at `path` (`Users/{id}` or `Me`). */
  function single(
    name: string,
    path: string,
    resourceType: string,
    multiValued = multiValuedOf(resourceType),
  ) {
    const get = (query?: GetOptions) => getAt(name, path, query);
    const replace = (body: object, write?: WriteOptions) =>
      callResource<object>(name, path, jsonInit("put", body, write));

    /** PATCH emulated with GET + local PatchOp + PUT If-Match, re-read when a concurrent change answers 412. */
    const patchWithPut = async (
      apply: PutFallback["apply"],
      operations: readonly PatchOperation[],
      write?: WriteOptions,
    ) => {
      for (let attempt = 1; ; attempt++) {
        const current = (await get()) as object;
        const next = apply(current, operations, { resourceType });
        const ifMatch = write?.ifMatch ?? versionOf(current);
        try {
          return await replace(forPut(next), ifMatch === undefined ? {} : { ifMatch });
        } catch (error) {
          const raced = isScimError(error) && error.status === 412 && write?.ifMatch === undefined;
          if (!raced || attempt >= PUT_FALLBACK_ATTEMPTS) throw error;
        }
      }
    };

    const patch = async (input: PatchInput<ResourceModel>, write?: WriteOptions) => {
      const operations = patchOperations(input, multiValued);
      if (fallback !== undefined && (await usePut())) return patchWithPut(fallback.apply, operations, write);
      const body = { schemas: [PATCH_OP_URN], Operations: operations };
      const init = jsonInit("patch", body, write);
      const response = await send(path, init);
      if (response.status === 204) return get();
      return readResource<object>(response, () => describeCall(name, path, init));
    };

    return {
      get,
      replace,
      patch,
      /** `diff(before, after)` as a PATCH, or `after` as a PUT when PATCH is emulated. */
      update: async (before: object, after: object, update: WriteOptions & DiffOptions = {}) => {
        const { ifMatch, ...diffOptions } = update;
        const { diff } = await import("./patch-diff.js"); // loaded on first use, like bulk
        const operations = diff(before, after, diffOptions);
        if (operations.length === 0) return before;
        // through patch(), so the PUT fallback applies the diff to a fresh GET and sends it with If-Match
        // rather than PUT `after`, which may be a projection missing attributes the server would then clear
        return patch(operations, ifMatch === undefined ? {} : { ifMatch });
      },
      delete: async (write?: WriteOptions): Promise<void> => {
        const headers: Record<string, string> = {};
        if (write?.ifMatch !== undefined) headers["if-match"] = write.ifMatch;
        const response = await send(path, { method: "delete", headers });
        await response.body?.cancel(); // a 200 with a body must not hold the connection
      },
    };
  }

  const pagination = paginationChooser(serviceProviderConfig);

  function resourceClient(name: string, endpoint: string): ResourceClient<ResourceModel> {
    const root = endpoint.replace(/^\/+|\/+$/g, "");
    const multiValued = multiValuedOf(name);
    const one = (id: string) => single(name, `${root}/${encodeURIComponent(id)}`, name, multiValued);

    const client = {
      create: (body: object) => callResource(name, root, jsonInit("post", body)),
      get: (id: string, query?: GetOptions) => getAt(name, `${root}/${encodeURIComponent(id)}`, query),
      replace: (id: string, body: object, write?: WriteOptions) => one(id).replace(body, write),
      patch: (id: string, operations: PatchInput<ResourceModel>, write?: WriteOptions) =>
        one(id).patch(operations, write),
      update: (id: string, before: object, after: object, update?: WriteOptions & DiffOptions) =>
        one(id).update(before, after, update),
      delete: (id: string, write?: WriteOptions) => one(id).delete(write),
      list: async (query: ListQuery = {}) =>
        normalizeList<object>(
          await call(name, root, { method: "get", searchParams: listParams(query) }),
          `GET ${name} ${root}`,
        ),
      search: async (query: ListQuery = {}) =>
        normalizeList<object>(
          await call(name, `${root}/.search`, jsonInit("post", searchBody(query))),
          `POST ${name} ${root}/.search`,
        ),
      iterate: (query: IterateQuery = {}) => iterate(client, query, pagination),
      find: async (filter: FilterInput) => (await client.list({ filter, count: 1 })).Resources[0],
    };
    return client as unknown as ResourceClient<ResourceModel>;
  }

  return { single, resourceClient };
}

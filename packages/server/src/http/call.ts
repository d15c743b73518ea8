import { SCIM_MEDIA_TYPE, type SchemaRegistry } from "@scimkit/core";
import type { Recorder, Trace } from "../recording/recorder.js";
import type { SchemaOptions } from "../resource/context.js";
import type { StoreScope } from "../stores/store.js";
import type { Incoming } from "./incoming.js";
import type { Principal, ScimHandlerOptions } from "./options.js";

export interface Env {
  readonly options: ScimHandlerOptions;
  readonly registry: SchemaRegistry;
  readonly basePath: string;
  /** `publicUrl` normalized, when set: the base of every location whatever the request says. */
  readonly publicBase: string | undefined;
  readonly maxPayloadSize: number;
  readonly maxResults: number;
  readonly defaultPageSize: number;
  readonly maxBulkOperations: number;
  /** Request recording, when on (the store has `recordings` and `recording` is not `false`). */
  readonly recorder: Recorder | undefined;
}

export interface Call {
  readonly env: Env;
  readonly request: Request;
  /** The request as the handler reads it without a `Request` (headers, URL): prefer it on hot paths. */
  readonly incoming: Incoming;
  readonly principal: Principal;
  /** The method to route by, upper case: GET for a HEAD request (RFC 9110 §9.3.2), whose body is then dropped. */
  readonly method: string;
  /** Absolute base URL of the SCIM endpoints, e.g. https://host/scim/v2 (publicUrl, or the origin the client used). */
  readonly base: string;
  /** What the request's record will say, filled in as the request runs (recording on). */
  readonly trace: Trace | undefined;
}

/**
 * A {@link Call} as the handler makes one per request. A class, so that `request` is a getter on the
 * prototype: an object literal with a getter is built slowly on every request (issue 16's profile).
 */
export class RequestCall implements Call {
  readonly env: Env;
  readonly incoming: Incoming;
  readonly principal: Principal;
  readonly method: string;
  readonly base: string;
  readonly trace: Trace | undefined;

  constructor(
    env: Env,
    incoming: Incoming,
    principal: Principal,
    method: string,
    base: string,
    trace: Trace | undefined,
  ) {
    this.env = env;
    this.incoming = incoming;
    this.principal = principal;
    this.method = method;
    this.base = base;
    this.trace = trace;
  }

  /** Built on first use: a GET through the node:http listener may never need one. */
  get request(): Request {
    return this.incoming.request;
  }
}

const JSON_HEADERS = { "content-type": `${SCIM_MEDIA_TYPE}; charset=utf-8` };

export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(status === 204 ? null : JSON.stringify(body), {
    status,
    headers: status === 204 ? headers : { ...JSON_HEADERS, ...headers },
  });
}

export function scope(call: Call, resourceType: string): StoreScope {
  return { tenant: call.principal.tenant, resourceType, registry: call.env.registry };
}

export function schemaOptions(env: Env): SchemaOptions {
  return {
    ...(env.options.bundle !== undefined && { bundle: env.options.bundle }),
    ...(env.options.validators !== undefined && { validators: env.options.validators }),
  };
}

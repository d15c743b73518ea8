import { ERROR_MESSAGE_URN, type ScimError } from "@scimkit/core";
import { idpOf } from "./idp.js";
import type { ResolvedRecording } from "./options.js";
import { cut, recordHeaders, redactBody, redactJson, redactQuery } from "./redact.js";
import type { ChangeRecord, NewRequestRecord, RecordingStore, Retention } from "./types.js";

/** A change as the handler reports it, before its body is redacted and serialized. */
export interface ChangeDraft extends Omit<ChangeRecord, "body"> {
  readonly body?: unknown;
}

/**
 * What the handler learns about one request while it runs, for its record: filled in by the handler
 * (principal, resource), `readBody` (the body text) and the audit events (changes).
 */
export interface Trace {
  readonly started: number;
  /** Epoch milliseconds of arrival (formatted later, off the request's path). */
  readonly arrived: number;
  /** The parsed request URL, when the handler got that far. */
  url?: URL;
  /** The error the answer was made from: its scimType, detail and body without reading the answer back. */
  error?: ScimError;
  principal?: { readonly tenant: string; readonly subject?: string | undefined };
  resourceType?: string;
  resourceId?: string;
  /** The request body as text, when the handler read it. */
  requestText?: string;
  readonly changes: ChangeDraft[];
  /** Not a SCIM request (the console's own API): not recorded. */
  skip: boolean;
}

/**
 * Records each request after its answer is produced: the record is built and handed to the store off
 * the request's path (nothing here is awaited by the handler), failures go to `onError`, and at most
 * `maxPending` records wait at once.
 */
export class Recorder {
  readonly store: RecordingStore;
  readonly #options: ResolvedRecording;
  readonly #secrets: ReadonlySet<string>;
  readonly #onError: ((error: unknown, request: Request) => void) | undefined;
  readonly #retention: Retention;
  #pending = 0;
  #dropped = 0;

  constructor(
    store: RecordingStore,
    options: ResolvedRecording,
    secrets: ReadonlySet<string>,
    onError: ((error: unknown, request: Request) => void) | undefined,
  ) {
    this.store = store;
    this.#options = options;
    this.#secrets = secrets;
    this.#onError = onError;
    this.#retention = { maxAgeMs: options.maxAgeMs, maxCount: options.maxCount };
  }

  begin(): Trace {
    return { started: performance.now(), arrived: Date.now(), changes: [], skip: false };
  }

  /** Called with the answer, before it is returned: never throws, never waits. */
  finish(trace: Trace, request: Request, response: Response): void {
    if (trace.skip) return;
    const tenant = trace.principal?.tenant ?? this.#options.unauthenticatedTenant;
    if (tenant === undefined) return;
    const durationMs = Math.round((performance.now() - trace.started) * 100) / 100;
    if (this.#pending >= this.#options.maxPending) {
      this.#dropped++;
      if (this.#dropped % 1000 === 1)
        this.#report(
          new Error(
            `@scimkit/server recording: ${this.#options.maxPending} records are waiting for the store (recording.maxPending); ${this.#dropped} dropped so far`,
          ),
          request,
        );
      return;
    }
    const failed = response.status >= 400;
    const bodies = this.#options.bodies === "all" || (this.#options.bodies === "failures" && failed);
    // An error answer's body is known from trace.error; only other bodies are read back from a copy.
    const readBack = (bodies || failed) && trace.error === undefined;
    let clone: Response | undefined;
    try {
      clone = readBack && response.body && !response.bodyUsed ? response.clone() : undefined;
    } catch (error) {
      this.#report(error, request);
    }
    this.#pending++;
    const status = response.status;
    // On a later turn of the event loop: the answer is written to the socket first.
    later(() => {
      const done = () => {
        this.#pending--;
      };
      const fail = (error: unknown) => {
        done();
        this.#report(error, request);
      };
      const store = (responseText: string | undefined) => {
        const record = this.#build(trace, tenant, durationMs, request, status, responseText, bodies);
        return this.store.append([record], this.#retention).then(done, fail);
      };
      try {
        if (clone) void clone.text().then(store).catch(fail);
        else void store(trace.error && bodies ? JSON.stringify(trace.error.toJSON()) : undefined);
      } catch (error) {
        fail(error);
      }
    });
  }

  /** The record, built with plain assignments (this runs for every request). */
  #build(
    trace: Trace,
    tenant: string,
    durationMs: number,
    request: Request,
    status: number,
    responseText: string | undefined,
    bodies: boolean,
  ): NewRequestRecord {
    const error = trace.error;
    const url = trace.url ?? new URL(request.url);
    const userAgent = request.headers.get("user-agent");
    const first = trace.changes[0];
    const max = this.#options.maxBodyChars;
    const record: Mutable<NewRequestRecord> = {
      time: new Date(trace.arrived).toISOString(),
      tenant,
      method: request.method.toUpperCase(),
      path: cut(url.pathname, 2048),
      status,
      durationMs,
      idp: idpOf(userAgent),
      requestHeaders: recordHeaders(request.headers),
      changes: trace.changes.length === 0 ? [] : trace.changes.map((change) => this.#change(change)),
    };
    if (url.search.length > 1) record.query = cut(redactQuery(url.search.slice(1), this.#secrets), 4096);
    if (error) {
      if (error.scimType !== undefined) record.scimType = error.scimType;
      record.detail = cut(error.detail, 4096);
    } else if (status >= 400) {
      const { scimType, detail } = errorOf(status, responseText);
      if (scimType !== undefined) record.scimType = scimType;
      if (detail !== undefined) record.detail = cut(detail, 4096);
    }
    const resourceType = trace.resourceType ?? first?.resourceType;
    if (resourceType !== undefined) record.resourceType = resourceType;
    const resourceId = trace.resourceId ?? first?.resourceId;
    if (resourceId !== undefined) record.resourceId = resourceId;
    if (trace.principal?.subject !== undefined) record.subject = trace.principal.subject;
    if (userAgent !== null) record.userAgent = cut(userAgent, 512);
    if (bodies && trace.requestText !== undefined)
      record.requestBody = redactBody(trace.requestText, this.#secrets, max);
    if (bodies && responseText) record.responseBody = redactBody(responseText, this.#secrets, max);
    return record;
  }

  /** A change for the record: its body redacted from the parsed request (no JSON round trip). */
  #change({ body, ...change }: ChangeDraft): ChangeRecord {
    const out: Mutable<ChangeRecord> = change;
    if (change.detail !== undefined) out.detail = cut(change.detail, 4096);
    if (body !== undefined)
      out.body = cut(JSON.stringify(redactJson(body, this.#secrets)) ?? "null", this.#options.maxBodyChars);
    return out;
  }

  #report(error: unknown, request: Request): void {
    try {
      this.#onError?.(error, request);
    } catch {
      // An onError that throws must not turn a recording problem into a failed request.
    }
  }
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Runs `f` after the I/O callbacks that are ready (setImmediate on Node; a timer elsewhere). */
const later: (f: () => void) => void =
  typeof globalThis.setImmediate === "function" ? globalThis.setImmediate : (f) => setTimeout(f, 0);

/** `scimType` and `detail` of an RFC 7644 §3.12 error body. */
function errorOf(status: number, text: string | undefined): { scimType?: string; detail?: string } {
  if (status < 400 || text === undefined || text === "") return {};
  try {
    const body = JSON.parse(text) as { schemas?: unknown; scimType?: unknown; detail?: unknown };
    if (!Array.isArray(body.schemas) || !body.schemas.includes(ERROR_MESSAGE_URN)) return {};
    return {
      ...(typeof body.scimType === "string" && { scimType: body.scimType }),
      ...(typeof body.detail === "string" && { detail: body.detail }),
    };
  } catch {
    return {};
  }
}

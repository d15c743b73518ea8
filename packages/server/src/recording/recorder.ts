import { ERROR_MESSAGE_URN, type ScimError } from "@scimkit/core";
import { bagHeader, forEachBagHeader, type HeaderBag, type Incoming, Reply } from "../http/incoming.js";
import { idpOf } from "./idp.js";
import type { ResolvedRecording } from "./options.js";
import { cut, recordHeaders, redactBody, redactJson, redactQuery } from "./redact.js";
import {
  ARRIVED_MS,
  type ChangeRecord,
  type NewRequestRecord,
  type RecordingStore,
  type Retention,
} from "./types.js";

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
  /** Its path, as the handler read it (the record keeps this string rather than making another). */
  path?: string;
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
 * One answered request waiting for its record to be built (on the next batch). It holds what the record
 * needs of the request — method, URL, headers — and never the request itself: node:http's request
 * object held one turn past its answer made every request's object graph survive two scavenges and be
 * promoted to the old generation (2 MB per scavenge at 10,000 requests/s; profiled with
 * `--trace-gc-nvp`), which cost more CPU than building the records.
 */
interface Finished {
  readonly trace: Trace;
  readonly tenant: string;
  readonly durationMs: number;
  readonly method: string;
  /** The request URL, for a record whose URL the handler did not parse (`trace.url` unset). */
  readonly url: string | undefined;
  readonly headers: HeaderBag;
  readonly status: number;
  readonly bodies: boolean;
  /** The response body, when it is kept and known as text (a Reply, or an error's JSON). */
  readonly text: string | undefined;
  /** A copy of a `Response` whose body is kept, to read back. */
  readonly clone: Response | undefined;
}

/**
 * Records each request after its answer is produced: the records of the requests answered within one
 * turn of the event loop are built together on the next (one `setImmediate` for all of them, after the
 * answers were handed to their sockets) and handed to the store in one `append`; failures go to
 * `onError`, and at most `maxPending` records wait at once.
 */
export class Recorder {
  readonly store: RecordingStore;
  readonly #options: ResolvedRecording;
  readonly #secrets: ReadonlySet<string>;
  readonly #onError: ((error: unknown, request: Request) => void) | undefined;
  readonly #retention: Retention;
  #pending = 0;
  #dropped = 0;
  #batch: Finished[] = [];
  /** Appends (and read-backs of kept bodies) under way, for {@link drain}. */
  readonly #inflight = new Set<Promise<unknown>>();
  readonly #flush = () => this.#build();
  #lastMs = Number.NaN;
  #lastIso = "";
  #lastBag: HeaderBag | undefined;
  #lastHeaders: Readonly<Record<string, string>> = {};

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
  finish(trace: Trace, incoming: Incoming, answer: Response | Reply): void {
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
          incoming.request,
        );
      return;
    }
    const status = answer.status;
    const failed = status >= 400;
    const bodies = this.#options.bodies === "all" || (this.#options.bodies === "failures" && failed);
    let text: string | undefined;
    let clone: Response | undefined;
    // An error answer's body is known from trace.error, a Reply's is text: only other bodies are read
    // back, from a copy (a failed answer's, for its scimType and detail, even when bodies are not kept).
    if (trace.error !== undefined) {
      // Its body is made from the error when the record is built (no JSON text parsed back).
    } else if (answer instanceof Reply) {
      if (bodies || failed) text = answer.body ?? undefined;
    } else if ((bodies || failed) && answer.body && !answer.bodyUsed) {
      try {
        clone = answer.clone();
      } catch (error) {
        this.#report(error, incoming.request);
      }
    }
    this.#pending++;
    if (this.#batch.length === 0) later(this.#flush);
    const url = trace.url === undefined ? incoming.url : undefined;
    const headers = incoming.headerBag();
    this.#batch.push({
      trace,
      tenant,
      durationMs,
      method: incoming.method,
      url,
      headers,
      status,
      bodies,
      text,
      clone,
    });
  }

  /**
   * Resolves once the record of every request answered so far is in the store (or reported to
   * `onError`): the waiting batch is built now instead of on the next turn, then every append under
   * way is awaited. Call it after the last request is answered and before the store is closed, or the
   * last batch reaches a closed store. Never rejects.
   */
  async drain(): Promise<void> {
    this.#build();
    while (this.#inflight.size > 0) {
      await Promise.allSettled([...this.#inflight]);
      this.#build();
    }
  }

  /** Builds the waiting records (reading back the copies first) and appends them in one call. */
  #build(): void {
    const batch = this.#batch;
    if (batch.length === 0) return;
    this.#batch = [];
    const records: NewRequestRecord[] = [];
    const sources: Finished[] = [];
    for (const finished of batch) {
      if (finished.clone) {
        const { clone } = finished;
        this.#track(
          clone
            .text()
            .then((text) => this.#append([this.#record(finished, text)], [finished]))
            .catch((error) => this.#failed(error, [finished])),
        );
        continue;
      }
      try {
        records.push(this.#record(finished, finished.text));
        sources.push(finished);
      } catch (error) {
        this.#failed(error, [finished]);
      }
    }
    if (records.length > 0) this.#append(records, sources);
  }

  #append(records: NewRequestRecord[], sources: readonly Finished[]): void {
    try {
      this.#track(
        this.store.append(records, this.#retention).then(
          () => {
            this.#pending -= sources.length;
          },
          (error) => this.#failed(error, sources),
        ),
      );
    } catch (error) {
      this.#failed(error, sources);
    }
  }

  #track(work: Promise<unknown>): void {
    this.#inflight.add(work);
    void work.finally(() => this.#inflight.delete(work));
  }

  /** The batch was not stored: reported once, with its first request. */
  #failed(error: unknown, sources: readonly Finished[]): void {
    this.#pending -= sources.length;
    const first = sources[0];
    if (first) this.#report(error, requestOf(first));
  }

  /** The record, built with plain assignments (this runs for every request). */
  #record(finished: Finished, responseText: string | undefined): NewRequestRecord {
    const { trace, tenant, durationMs, status, bodies, headers } = finished;
    const error = trace.error;
    const url = trace.url ?? new URL(finished.url ?? "");
    const userAgent = bagHeader(headers, "user-agent");
    const first = trace.changes[0];
    const max = this.#options.maxBodyChars;
    const record: Mutable<NewRequestRecord> & { [ARRIVED_MS]: number } = {
      time: this.#iso(trace.arrived),
      [ARRIVED_MS]: trace.arrived,
      tenant,
      method: finished.method.toUpperCase(),
      path: cut(trace.path ?? url.pathname, 2048),
      status,
      durationMs,
      idp: idpOf(userAgent),
      requestHeaders: this.#headers(headers),
      changes: trace.changes.length === 0 ? NO_CHANGES : trace.changes.map((change) => this.#change(change)),
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
    // Redaction only for the bodies that are kept.
    if (bodies && trace.requestText !== undefined)
      record.requestBody = redactBody(trace.requestText, this.#secrets, max);
    if (bodies && error)
      record.responseBody = cut(JSON.stringify(redactJson(error.toJSON(), this.#secrets)), max);
    else if (bodies && responseText) record.responseBody = redactBody(responseText, this.#secrets, max);
    return record;
  }

  /** ISO 8601 of an arrival time: requests answered together mostly arrived in the same millisecond. */
  #iso(ms: number): string {
    if (ms !== this.#lastMs) {
      this.#lastMs = ms;
      this.#lastIso = new Date(ms).toISOString();
    }
    return this.#lastIso;
  }

  /**
   * The recorded (redacted) headers: the previous request's object again when its headers were the
   * same (a client sends the same headers on every request), so that the ring keeps one copy and nothing
   * is built or redacted per request.
   */
  #headers(bag: HeaderBag): Readonly<Record<string, string>> {
    const last = this.#lastBag;
    if (last !== undefined && !(bag instanceof Headers) && !(last instanceof Headers) && sameBag(last, bag))
      return this.#lastHeaders;
    this.#lastBag = bag;
    this.#lastHeaders = recordHeaders(bag);
    return this.#lastHeaders;
  }

  /** A change for the record: its body redacted from the parsed request (no JSON round trip). */
  #change(draft: ChangeDraft): ChangeRecord {
    const out: Mutable<ChangeRecord> = {
      resourceType: draft.resourceType,
      action: draft.action,
      outcome: draft.outcome,
      status: draft.status,
    };
    if (draft.resourceId !== undefined) out.resourceId = draft.resourceId;
    if (draft.detail !== undefined) out.detail = cut(draft.detail, 4096);
    if (draft.bulkId !== undefined) out.bulkId = draft.bulkId;
    if (draft.body !== undefined)
      out.body = cut(
        JSON.stringify(redactJson(draft.body, this.#secrets)) ?? "null",
        this.#options.maxBodyChars,
      );
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

/** Whether two node:http header objects hold the same names and values (string values compared; a repeated header, an array, never equal). */
function sameBag(
  a: Readonly<Record<string, string | string[] | undefined>>,
  b: Readonly<Record<string, string | string[] | undefined>>,
): boolean {
  let count = 0;
  for (const name in b) {
    const value = b[name];
    if (typeof value !== "string" || a[name] !== value) return false;
    count++;
  }
  for (const _ in a) count--;
  return count === 0;
}

/**
 * The request a recording failure is reported with (`onError(error, request)`): rebuilt from what the
 * record keeps — method, URL, headers, no body — since the request itself is not kept (see
 * {@link Finished}). A method or URL that `Request` refuses (not reachable through the adapters, which
 * answer such requests 400 before the handler) is reported as a GET of the handler's URL, or of
 * `http://localhost/`.
 */
function requestOf(finished: Finished): Request {
  const url = finished.trace.url?.href ?? finished.url ?? "http://localhost/";
  const headers = new Headers();
  forEachBagHeader(finished.headers, (value, name) => headers.append(name, value));
  try {
    return new Request(url, { method: finished.method, headers });
  } catch {
    try {
      return new Request(url, { headers });
    } catch {
      return new Request("http://localhost/");
    }
  }
}

/** Shared by every record without changes (most requests): one array less per record kept. */
const NO_CHANGES: readonly ChangeRecord[] = Object.freeze([]);

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

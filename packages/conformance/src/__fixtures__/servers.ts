/// <reference types="node" />
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createScimHandler, MemoryStore } from "@scimkit/server";
import { type FetchHandler, toNodeListener } from "@scimkit/server/node";

/** A running test server: its SCIM base URL, bearer token, the handler it wraps, and how to stop it. */
export interface TestServer {
  readonly url: string;
  readonly token: string;
  /** The reference handler itself, behind any break (for inspecting what a run left behind). */
  readonly inner: FetchHandler;
  close(): Promise<void>;
}

/** A break: wraps the reference handler so that it violates one rule. */
export type Break = (inner: FetchHandler) => FetchHandler;

export const TOKEN = "conformance-test-token-0123456789";

/** The reference handler on a real port of 127.0.0.1, optionally broken by `wrap`. */
export async function startServer(wrap?: Break): Promise<TestServer> {
  const inner = createScimHandler({ store: new MemoryStore(), auth: { tokens: [TOKEN] } });
  const server = createServer(toNodeListener(wrap ? wrap(inner) : inner));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/scim/v2`,
    token: TOKEN,
    inner,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

function copy(response: Response, status: number, headers: Headers, body: string | null): Response {
  headers.delete("content-length");
  return new Response(body, { status, statusText: status === 200 ? "OK" : response.statusText, headers });
}

/** Create answers 200 instead of 201 (RFC 7644 §3.3). */
export const createAnswers200: Break = (inner) => async (request) => {
  const response = await inner(request);
  if (request.method !== "POST" || response.status !== 201) return response;
  return copy(response, 200, new Headers(response.headers), await response.text());
};

/** Create answers without a Location header (RFC 7644 §3.3). */
export const noLocation: Break = (inner) => async (request) => {
  const response = await inner(request);
  if (!response.headers.has("location")) return response;
  const headers = new Headers(response.headers);
  headers.delete("location");
  return copy(response, response.status, headers, await response.text());
};

const MARK = "-case-sensitive-twin";

/**
 * userName uniqueness is case-sensitive: a create whose userName matches an existing one only up to case is
 * stored under a marked name and answered as if stored under the name given (RFC 7643 §4.1.1 says caseExact false).
 */
export const caseSensitiveUserName: Break = (inner) => async (request) => {
  const url = new URL(request.url);
  if (request.method !== "POST" || !url.pathname.endsWith("/Users")) return inner(request);
  const sent = await request.text();
  let body: { userName?: unknown };
  try {
    body = JSON.parse(sent) as { userName?: unknown };
  } catch {
    // Not JSON: the reference handler answers it (400 invalidSyntax), as it would without the break.
    return inner(new Request(request.url, { method: "POST", headers: request.headers, body: sent }));
  }
  const userName = typeof body.userName === "string" ? body.userName : "";
  const filter = encodeURIComponent(`userName eq "${userName}"`);
  const lookup = await inner(
    new Request(`${url.origin}${url.pathname}?filter=${filter}`, { headers: request.headers }),
  );
  const found = ((await lookup.json()) as { Resources?: { userName: string }[] }).Resources ?? [];
  const twin = found.some((r) => r.userName !== userName);
  const forwarded = twin ? { ...body, userName: `${userName}${MARK}` } : body;
  const headers = new Headers(request.headers);
  headers.delete("content-length");
  const response = await inner(
    new Request(request.url, { method: "POST", headers, body: JSON.stringify(forwarded) }),
  );
  const text = await response.text();
  return copy(response, response.status, new Headers(response.headers), text.split(MARK).join(""));
};

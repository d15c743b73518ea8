/// <reference types="node" />
import { freePort } from "@scimkit/test-fixtures";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { close, listen, type Running } from "./__fixtures__/http.js";
import { type Reference, startReference, TOKEN } from "./__fixtures__/reference-server.js";
import { probeScimServer } from "./probe.js";

/** A server that answers every request with `status` (and `headers`), recording the paths asked for. */
const answering = (status: number, headers: Record<string, string> = {}) =>
  listen((_request, response) => {
    response.writeHead(status, headers).end();
  });

describe("probeScimServer", () => {
  let reference: Reference;
  const opened: Running[] = [];
  const track = async (running: Promise<Running>) => {
    const server = await running;
    opened.push(server);
    return server;
  };
  beforeAll(async () => {
    reference = await startReference();
  });
  afterAll(async () => {
    for (const running of [reference, ...opened]) running.server.closeAllConnections();
    await close(reference);
    await Promise.all(opened.map(close));
  });

  it("finds the reference server with its token, from /ServiceProviderConfig alone", async () => {
    reference.log.length = 0;
    expect(await probeScimServer(`${reference.baseUrl}/`, { token: TOKEN })).toEqual({
      ok: true,
      path: "/ServiceProviderConfig",
      status: 200,
    });
    expect(reference.log).toEqual(["GET /scim/v2/ServiceProviderConfig"]);
  });

  it("reports a wrong or missing token as refused, without the token in the result", async () => {
    const wrong = await probeScimServer(reference.baseUrl, { token: "not-the-token-0123" });
    expect(wrong).toEqual({ ok: false, problem: "refused", path: "/ServiceProviderConfig", status: 401 });
    expect(JSON.stringify(wrong)).not.toContain("not-the-token");
    expect(await probeScimServer(reference.baseUrl)).toMatchObject({ problem: "refused", status: 401 });
  });

  it("reports 403 as refused too", async () => {
    const server = await track(answering(403));
    expect(await probeScimServer(server.url, { token: "t" })).toMatchObject({
      ok: false,
      problem: "refused",
      status: 403,
    });
  });

  it("does not follow a redirect, so the token goes nowhere else", async () => {
    const elsewhere = await track(answering(200));
    const server = await track(
      answering(302, { location: `${elsewhere.url}/scim/v2/ServiceProviderConfig` }),
    );
    expect(await probeScimServer(server.url, { token: "t" })).toEqual({
      ok: false,
      problem: "redirect",
      path: "/ServiceProviderConfig",
      status: 302,
      location: `${elsewhere.url}/scim/v2/ServiceProviderConfig`,
    });
    expect(elsewhere.log).toEqual([]);
    const bare = await track(answering(307));
    expect(await probeScimServer(bare.url)).toMatchObject({
      problem: "redirect",
      status: 307,
      location: null,
    });
  });

  it("calls a URL where both /ServiceProviderConfig and /Users answer 404 not SCIM", async () => {
    const server = await track(answering(404));
    expect(await probeScimServer(server.url, { token: "t" })).toEqual({ ok: false, problem: "not-scim" });
    expect(server.log).toEqual(["GET /ServiceProviderConfig", "GET /Users?count=1"]);
  });

  it("accepts a server without discovery whose /Users answers", async () => {
    const server = await track(
      listen((request, response) => {
        response.writeHead(request.url?.startsWith("/Users") ? 200 : 404).end("{}");
      }),
    );
    expect(await probeScimServer(server.url)).toEqual({ ok: true, path: "/Users?count=1", status: 200 });
  });

  it("reports a refused connection with Node's reason", async () => {
    const port = await freePort(); // nothing listens there
    const found = await probeScimServer(`http://127.0.0.1:${port}/scim/v2`);
    expect(found).toMatchObject({ ok: false, problem: "unreachable" });
    expect(found.ok === false && found.problem === "unreachable" && found.reason).toContain(
      `ECONNREFUSED 127.0.0.1:${port}`,
    );
  });

  it("gives up on a server that never answers after timeoutMs", async () => {
    const silent = await track(listen(() => {}));
    const started = performance.now();
    expect(await probeScimServer(silent.url, { timeoutMs: 200 })).toEqual({
      ok: false,
      problem: "unreachable",
      reason: "no answer within 0.2 s",
    });
    expect(performance.now() - started).toBeLessThan(5_000);
    silent.server.closeAllConnections();
  });

  it("rejects with the signal's reason when the caller aborts", async () => {
    const silent = await track(listen(() => {}));
    const controller = new AbortController();
    const probing = probeScimServer(silent.url, { signal: controller.signal });
    const stop = new Error("stopped by the caller");
    setTimeout(() => controller.abort(stop), 50);
    await expect(probing).rejects.toBe(stop);
    silent.server.closeAllConnections();
  });
});

/// <reference types="node" />
import { createServer, type RequestListener, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { isScimError, type ScimError } from "@scimkit/core";

/** A node:http server on 127.0.0.1 and a random port, with every request recorded as "METHOD /path?query". */
export interface Running {
  server: Server;
  url: string;
  log: string[];
}

export async function listen(listener: RequestListener): Promise<Running> {
  const log: string[] = [];
  const server = createServer((request, response) => {
    log.push(`${request.method} ${request.url}`);
    listener(request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}`, log };
}

export const close = (running: Running) => new Promise((resolve) => running.server.close(resolve));

/** The ScimError a promise rejects with; fails the test when it resolves or rejects with anything else. */
export async function rejection(promise: Promise<unknown>): Promise<ScimError> {
  try {
    await promise;
  } catch (error) {
    if (isScimError(error)) return error;
    throw error;
  }
  throw new Error("expected a rejection");
}

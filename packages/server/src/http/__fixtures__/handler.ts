/// <reference types="node" />
import { afterAll, expect } from "vitest";
import {
  GROUP_SCHEMA,
  PATCH_OP,
  startServer,
  type TestServer,
  USER_SCHEMA,
} from "../../replays/__fixtures__/server.js";

export const user = (userName: string, extra: Record<string, unknown> = {}) => ({
  schemas: [USER_SCHEMA],
  userName,
  ...extra,
});
export const group = (displayName: string, members: string[] = []) => ({
  schemas: [GROUP_SCHEMA],
  displayName,
  ...(members.length > 0 && { members: members.map((value) => ({ value })) }),
});
export const patch = (...Operations: unknown[]) => ({ schemas: [PATCH_OP], Operations });

export const servers: TestServer[] = [];
export async function server(options: Parameters<typeof startServer>[0] = {}): Promise<TestServer> {
  const s = await startServer(options);
  servers.push(s);
  return s;
}
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

export async function create(s: TestServer, path: string, body: unknown, token?: string) {
  const r = await s.request(path, { body, ...(token !== undefined && { token }) });
  expect(r.status, r.text).toBe(201);
  return r.body as { id: string; meta: { version: string; location: string } } & Record<string, unknown>;
}

import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { runConformance } from "@scimkit/conformance";
import { createScimHandler, MemoryStore } from "@scimkit/server";
import { toNodeListener } from "@scimkit/server/node";
import { expect, it } from "vitest";

it("our SCIM server passes the conformance checks", async () => {
  const token = "a-test-token-of-at-least-16-chars";
  const handler = createScimHandler({ store: new MemoryStore(), auth: { tokens: [token] } });
  const server = createServer(toNodeListener(handler));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  try {
    const report = await runConformance({ url: `http://127.0.0.1:${port}/scim/v2`, token });
    expect(report.checks.filter((check) => check.status === "failed")).toEqual([]);
  } finally {
    server.close();
  }
});

import { spawn } from "node:child_process";
import { createServer } from "node:net";
import { describe, expect, it } from "vitest";
import { freePort, stopProcess } from "./reference-process.js";

describe("freePort", () => {
  it("gives a port that can be listened on at once", async () => {
    const port = await freePort();
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, "127.0.0.1", resolve);
    });
    await new Promise((resolve) => server.close(resolve));
  });
});

describe("stopProcess", () => {
  const spawnNode = (code: string) =>
    spawn(process.execPath, ["-e", code], { stdio: ["ignore", "pipe", "ignore"] });
  const started = (child: ReturnType<typeof spawnNode>) =>
    new Promise((resolve) => child.stdout.once("data", resolve));

  it("ends a process that exits on SIGTERM", async () => {
    const child = spawnNode(
      "process.on('SIGTERM', () => process.exit(0)); console.log('up'); setInterval(() => {}, 1000);",
    );
    await started(child);
    await stopProcess(child);
    expect(child.exitCode).toBe(0);
  });

  it("kills a process that ignores SIGTERM after killAfterMs", async () => {
    const child = spawnNode(
      "process.on('SIGTERM', () => {}); console.log('up'); setInterval(() => {}, 1000);",
    );
    await started(child);
    await stopProcess(child, 200);
    expect(child.signalCode).toBe("SIGKILL");
    await stopProcess(child); // already gone: resolves at once
  });
});

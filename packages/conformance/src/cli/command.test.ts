// runTestCommand in-process with an io of our own: the progress line and Ctrl-C, which the binary only
// shows on a terminal (the binary itself is tested in cli.test.ts).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { leftovers } from "../__fixtures__/break-suite.js";
import { startServer, type TestServer } from "../__fixtures__/servers.js";
import { CHECKS } from "../registry.js";
import { runTestCommand } from "./command.js";
import type { TestIo } from "./terminal.js";

function recorder(extra: Partial<TestIo> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const progress: (string | undefined)[] = [];
  const io: TestIo = {
    out: (line) => out.push(line),
    err: (line) => err.push(line),
    env: {},
    progress: (line) => progress.push(line),
    ...extra,
  };
  return { io, out, err, progress };
}

describe("runTestCommand in-process", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server.close());

  it("shows one progress line per check, [done/total] id, then clears it before the report", async () => {
    const { io, out, err, progress } = recorder();
    const code = await runTestCommand(["--url", server.url, "--token", server.token, "--read-only"], io);
    expect(code).toBe(0);
    expect(err).toEqual([]);
    const total = CHECKS.filter((c) => c.profile === "rfc").length;
    expect(progress[0]).toBe(`connecting to ${server.url} …`);
    expect(progress.slice(1, -1)).toEqual(
      CHECKS.filter((c) => c.profile === "rfc").map((c, i) => `[${i + 1}/${total}] ${c.id}`),
    );
    expect(progress.at(-1)).toBeUndefined();
    expect(out.at(-1)).toMatch(/^\d+ passed, 0 failed \(0 MUST\), \d+ skipped in \d+(\.\d)? s$/);
  });

  it("an interrupt aborts the run, deletes what it created and resolves 130", async () => {
    let interrupt = () => {};
    let listening = 0;
    const { io, out, err } = recorder({
      onInterrupt(listener) {
        interrupt = listener;
        listening += 1;
        return () => {
          listening -= 1;
        };
      },
      progress(line) {
        // Interrupt once the run has created something (crud checks come after discovery).
        if (line?.includes("crud.user.create-meta")) interrupt();
      },
    });
    const code = await runTestCommand(["--url", server.url, "--token", server.token], io);
    expect(code).toBe(130);
    expect(out).toEqual([]);
    expect(err[0]).toBe(
      "scimkit test: interrupted; deleting what this run created (Ctrl-C again to exit at once)",
    );
    expect(err[1]).toMatch(
      /^scimkit test: interrupted after \d+ of \d+ checks; the resources the run created were deleted$/,
    );
    expect(listening).toBe(0);
    expect(await leftovers(server)).toBe(0);
  });

  it("the text report is coloured when the io says so", async () => {
    const { io, out } = recorder({ color: true });
    await runTestCommand(["--url", server.url, "--token", server.token, "--read-only"], io);
    expect(out.join("\n")).toContain("\u001b[32m✓\u001b[0m");
  });
});

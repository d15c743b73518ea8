// `scimkit test` through the real binary (node packages/codegen/bin/scimkit.js), against the reference
// handler and deliberately broken servers on real ports of 127.0.0.1.
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { leftovers } from "../__fixtures__/break-suite.js";
import { noPatchNoFilter } from "../__fixtures__/breaks.js";
import { CORE_SKIPS, isCoreSkip } from "../__fixtures__/core-skips.js";
import { createAnswers200, startServer, type TestServer } from "../__fixtures__/servers.js";
import { CHECKS } from "../registry.js";
import { runConformance } from "../run.js";
import type { ConformanceReport } from "../types.js";
import { BIN, ensureBuilt, scimkit, startScimkit } from "./__fixtures__/bin.js";
import { both, hangOn, refusesEveryToken } from "./__fixtures__/breaks.js";

const RFC_CHECKS = CHECKS.filter((c) => c.profile === "rfc");
const ANSI = new RegExp(`${"\u001b"}\\[\\d+m`, "g");
const SUMMARY = /^\d+ passed, \d+ failed \(\d+ MUST\), \d+ skipped in \d+(\.\d)? s$/;

let folder: string;
beforeAll(async () => {
  ensureBuilt();
  folder = await mkdtemp(join(tmpdir(), "scimkit-test-cli-"));
});
afterAll(() => rm(folder, { recursive: true, force: true }));

describe("scimkit test against the reference handler", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server.close());

  it("text: every check grouped by area, a summary line, exit 0, nothing on stderr, nothing left behind", async () => {
    const result = await scimkit(["test", "--url", server.url, "--token", server.token]);
    expect(result.err).toBe("");
    expect(result.code).toBe(0);
    const lines = result.out.trimEnd().split("\n");
    expect(lines[0]).toBe(`scimkit conformance: ${server.url}`);
    const areas = [...new Set(RFC_CHECKS.map((c) => c.id.split(".")[0]))];
    expect(lines.filter((l) => /^[a-z]/.test(l) && !l.startsWith("scimkit"))).toEqual(areas);
    for (const check of RFC_CHECKS)
      expect(
        lines.filter((l) => l.startsWith(`  ${isCoreSkip(check.id) ? "-" : "✓"} ${check.id}  `)),
        check.id,
      ).toHaveLength(1);
    expect(lines.at(-1)).toMatch(SUMMARY);
    expect(lines.at(-1)).toMatch(
      new RegExp(
        `^${RFC_CHECKS.length - CORE_SKIPS.length} passed, 0 failed \\(0 MUST\\), ${CORE_SKIPS.length} skipped`,
      ),
    );
    // Not a terminal and no FORCE_COLOR: no escape sequences.
    expect(result.out).not.toContain("\u001b[");
    expect(await leftovers(server)).toBe(0);
  });

  it("json: exactly the report object of DESIGN.md on stdout, the token from SCIM_TOKEN", async () => {
    const result = await scimkit(["test", "--url", server.url, "--format", "json"], {
      SCIM_TOKEN: server.token,
    });
    expect(result.code).toBe(0);
    expect(result.err).toBe("");
    const report = JSON.parse(result.out) as ConformanceReport;
    expect(Object.keys(report)).toEqual(["target", "summary", "checks"]);
    expect(report.target).toBe(server.url);
    expect(report.summary).toEqual({
      passed: RFC_CHECKS.length - CORE_SKIPS.length,
      failed: 0,
      skipped: CORE_SKIPS.length,
    });
    expect(report.checks.map((c) => c.id)).toEqual(RFC_CHECKS.map((c) => c.id));
    expect(Object.keys(report.checks[0] ?? {})).toEqual([
      "id",
      "title",
      "requirement",
      "level",
      "profile",
      "status",
      "detail",
    ]);
  });

  it("junit --out FILE: the XML goes to the file, stdout shows the summary and where the report is", async () => {
    const out = join(folder, "conformance.xml");
    const result = await scimkit([
      "test",
      "--url",
      server.url,
      "--token",
      server.token,
      "--format",
      "junit",
      "--out",
      out,
    ]);
    expect(result.code).toBe(0);
    const lines = result.out.trimEnd().split("\n");
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(SUMMARY);
    expect(lines[1]).toBe(`junit report written to ${out}`);
    const xml = await readFile(out, "utf8");
    expect(xml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites /);
    expect(xml).toContain(`tests="${RFC_CHECKS.length}" failures="0" skipped="${CORE_SKIPS.length}" time="`);
    expect(xml.match(/<testcase /g)).toHaveLength(RFC_CHECKS.length);
  });

  it("--read-only: skips every check that creates resources and sends no write request", async () => {
    const writes: string[] = [];
    const watched = await startServer((inner) => async (request) => {
      if (request.method !== "GET") writes.push(`${request.method} ${new URL(request.url).pathname}`);
      return inner(request);
    });
    try {
      const result = await scimkit([
        "test",
        "--url",
        watched.url,
        "--token",
        watched.token,
        "--read-only",
        "--format",
        "json",
      ]);
      expect(result.code).toBe(0);
      const report = JSON.parse(result.out) as ConformanceReport;
      for (const check of report.checks) {
        const writing = RFC_CHECKS.find((c) => c.id === check.id)?.writes;
        expect(check.status, check.id).toBe(writing || isCoreSkip(check.id) ? "skipped" : "passed");
      }
      expect(writes).toEqual([]);
    } finally {
      await watched.close();
    }
  });

  it("FORCE_COLOR=1 colours the text report; FORCE_COLOR=0 gives the same text without escapes", async () => {
    const args = ["test", "--url", server.url, "--token", server.token, "--read-only"];
    const colored = await scimkit(args, { FORCE_COLOR: "1" });
    expect(colored.out).toContain("\u001b[32m✓\u001b[0m discovery.schemas");
    const plain = await scimkit(args, { FORCE_COLOR: "0" });
    expect(plain.out).not.toContain("\u001b[");
    expect(plain.out.replace(/ in \d+(\.\d)? s/, "")).toBe(
      colored.out.replace(ANSI, "").replace(/ in \d+(\.\d)? s/, ""),
    );
  });
});

// script(1) from util-linux runs the binary on a pseudo-terminal, the way a user's shell does.
describe.skipIf(!existsSync("/usr/bin/script"))("scimkit test on a terminal", () => {
  it("colours the report and rewrites one progress line on stderr, cleared before the report", async () => {
    const server = await startServer();
    try {
      const command = [
        process.execPath,
        BIN,
        "test",
        "--url",
        server.url,
        "--token",
        server.token,
        "--read-only",
      ];
      const output = await new Promise<string>((resolve, reject) =>
        execFile(
          "/usr/bin/script",
          ["-qec", command.join(" "), "/dev/null"],
          { env: { PATH: process.env.PATH ?? "", TERM: "xterm" } },
          (error, stdout) => (error ? reject(error) : resolve(stdout)),
        ),
      );
      const total = RFC_CHECKS.length;
      expect(output).toContain(`\r\u001b[2K[1/${total}] ${RFC_CHECKS[0]?.id}`);
      expect(output).toContain(`\r\u001b[2K[${total}/${total}] ${RFC_CHECKS.at(-1)?.id}\r\u001b[2K`);
      expect(output).toContain("\u001b[32m✓\u001b[0m discovery.schemas");
    } finally {
      await server.close();
    }
  });
});

describe("scimkit test exit codes", () => {
  it("1 when a MUST check fails: the failure with its detail, indented, and the MUST count", async () => {
    const server = await startServer(createAnswers200);
    try {
      const result = await scimkit(["test", "--url", server.url, "--token", server.token]);
      expect(result.code).toBe(1);
      const lines = result.out.split("\n");
      const at = lines.findIndex((l) => l.startsWith("  ✗ crud.user.create-status  "));
      expect(at).toBeGreaterThan(0);
      expect(lines[at + 1]).toMatch(/^ {6}expected 201: POST \/Users \{/);
      expect(result.out).toMatch(new RegExp(`\n${await librarySummary(server)} in `));
      expect(result.out + result.err).not.toContain(server.token);
      expect(await leftovers(server)).toBe(0);
    } finally {
      await server.close();
    }
  });

  it("0 when only SHOULD checks fail", async () => {
    const server = await startServer(noPatchNoFilter);
    try {
      const result = await scimkit(["test", "--url", server.url, "--token", server.token]);
      // It advertises no PATCH yet applies one: errors.unsupported-patch, a SHOULD, is its one failure.
      const summary = await librarySummary(server);
      expect(summary).toMatch(/ 1 failed \\\(0 MUST\\\), /);
      expect(result.out).toMatch(new RegExp(`\n${summary} in `));
      expect(result.code).toBe(0);
    } finally {
      await server.close();
    }
  });

  it("2 when the server refuses the token, before any check runs", async () => {
    const server = await startServer(refusesEveryToken);
    try {
      const result = await scimkit(["test", "--url", server.url, "--token", "not-the-right-token"]);
      expect(result).toMatchObject({ code: 2, out: "" });
      expect(result.err).toBe(
        "scimkit test: the server refused the token: GET /ServiceProviderConfig answered 401; check --token or SCIM_TOKEN\n",
      );
    } finally {
      await server.close();
    }
  });

  it("2 when nothing listens at the URL, one line on stderr", async () => {
    const port = await closedPort();
    const url = `http://127.0.0.1:${port}/scim/v2`;
    const result = await scimkit(["test", "--url", url, "--token", "some-token-123456"]);
    expect(result).toEqual({
      code: 2,
      signal: null,
      out: "",
      err: `scimkit test: cannot reach ${url}: connect ECONNREFUSED 127.0.0.1:${port}\n`,
    });
  });

  it("2 when --url is a server without SCIM at that path", async () => {
    const server = await startServer();
    try {
      const root = server.url.replace(/\/scim\/v2$/, "");
      const result = await scimkit(["test", "--url", root, "--token", server.token]);
      expect(result.code).toBe(2);
      expect(result.err).toMatch(
        /^scimkit test: no SCIM service at http:\/\/127\.0\.0\.1:\d+: GET \/ServiceProviderConfig and GET \/Users\?count=1 both answered 404/,
      );
    } finally {
      await server.close();
    }
  });

  it.each([
    [
      ["--url", "https://example.com/scim/v2", "--token", "t", "--profile", "entr"],
      /--profile takes rfc, entra, okta or all; got "entr"; did you mean entra\?/,
    ],
    [
      ["--url", "https://example.com/scim/v2", "--token", "t", "--format", "xml"],
      /--format takes text, json or junit; got "xml"/,
    ],
    [
      ["--url", "https://example.com/scim/v2", "--token", "t", "--readonly"],
      /unknown option --readonly; did you mean --read-only\?/,
    ],
    [["--token", "t"], /--url <url> is required/],
    [
      ["--url", "https://example.com/scim/v2", "--token", "t", "--out", "/nonexistent-folder/r.xml"],
      /--out \/nonexistent-folder\/r.xml: the folder \/nonexistent-folder does not exist/,
    ],
  ])("2 on a usage error: %j", async (args, message) => {
    const result = await scimkit(["test", ...args]);
    expect(result.code).toBe(2);
    expect(result.out).toBe("");
    expect(result.err).toMatch(new RegExp(`^scimkit test: ${message.source}`));
    expect(result.err.trimEnd().split("\n")).toHaveLength(1);
  });
});

describe("scimkit test and Ctrl-C", () => {
  it("SIGINT mid-run: stops, deletes what it created, says so, exits 130", async () => {
    let onHang = () => {};
    const server = await startServer(hangOn("PATCH", () => onHang()));
    try {
      const run = startScimkit(["test", "--url", server.url, "--token", server.token]);
      onHang = () => run.child.kill("SIGINT");
      const result = await run.done;
      expect(result.code).toBe(130);
      expect(result.out).toBe("");
      const lines = result.err.trimEnd().split("\n");
      expect(lines[0]).toBe(
        "scimkit test: interrupted; deleting what this run created (Ctrl-C again to exit at once)",
      );
      expect(lines[1]).toMatch(
        /^scimkit test: interrupted after \d+ of \d+ checks; the resources the run created were deleted$/,
      );
      expect(await leftovers(server)).toBe(0);
    } finally {
      await server.close();
    }
  });

  it("a second SIGINT during the clean-up exits at once, saying what may be left", async () => {
    const signals: string[] = [];
    let send = (_: string) => {};
    const server = await startServer(
      both(
        // Only the clean-up's DELETEs, not those of the crud checks before the first Ctrl-C.
        hangOn(
          "DELETE",
          () => send("second"),
          () => signals.includes("first"),
        ),
        hangOn("PATCH", () => send("first")),
      ),
    );
    try {
      const run = startScimkit(["test", "--url", server.url, "--token", server.token]);
      send = (which) => {
        if (signals.includes(which)) return;
        signals.push(which);
        run.child.kill("SIGINT");
      };
      const result = await run.done;
      expect(signals).toEqual(["first", "second"]);
      expect(result.code).toBe(130);
      expect(result.err).toMatch(
        /\nscimkit test: interrupted again: exiting now; resources named scimkit-conformance-… may be left on the server\n$/,
      );
      // The clean-up was cut short: what the run had created is still there.
      expect(await leftovers(server)).toBeGreaterThan(0);
    } finally {
      await server.close();
    }
  });
});

/** A port of 127.0.0.1 that nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe("scimkit test --out over an existing file", () => {
  it("replaces it", async () => {
    const server = await startServer();
    try {
      const out = join(folder, "old.json");
      await writeFile(out, "old contents that are longer than nothing");
      const result = await scimkit([
        "test",
        "--url",
        server.url,
        "--token",
        server.token,
        "--format",
        "json",
        "--read-only",
        "--out",
        out,
      ]);
      expect(result.code).toBe(0);
      expect(JSON.parse(await readFile(out, "utf8")).target).toBe(server.url);
    } finally {
      await server.close();
    }
  });
});

/** The summary line's counts as the library's own run against `server` gives them (escaped for a RegExp). */
async function librarySummary(server: TestServer): Promise<string> {
  const report = await runConformance({ url: server.url, token: server.token });
  const must = report.checks.filter((c) => c.status === "failed" && c.level === "MUST").length;
  const { passed, failed, skipped } = report.summary;
  return `${passed} passed, ${failed} failed \\(${must} MUST\\), ${skipped} skipped`;
}

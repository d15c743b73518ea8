// The root README's "A tour with curl", run as written: its shell blocks in one bash session against the
// reference handler (createScimHandler + MemoryStore), each block's output checked against the
// abbreviated response printed under it. A response matches when every member it shows is there with that
// value ("…" stands for any text; arrays match element by element), so the README stays true.
import { spawnSync } from "node:child_process";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot, run, startTestServer, type TestServer, TOKEN } from "./harness.js";

const README_BASE = "http://localhost:8080";
const hasCurl = spawnSync("curl", ["--version"]).status === 0;

/** The top-level JSON values (or bare words such as `204`) in `text`, in order. */
export function splitValues(text: string): string[] {
  const values: string[] = [];
  let i = 0;
  while (i < text.length) {
    if (/\s/.test(text[i] as string)) {
      i++;
      continue;
    }
    const start = i;
    if (text[i] === "{" || text[i] === "[") {
      let depth = 0;
      let inString = false;
      for (; i < text.length; i++) {
        const c = text[i];
        if (inString) {
          if (c === "\\") i++;
          else if (c === '"') inString = false;
        } else if (c === '"') inString = true;
        else if (c === "{" || c === "[") depth++;
        else if (c === "}" || c === "]") {
          depth--;
          if (depth === 0) {
            i++;
            break;
          }
        }
      }
    } else {
      while (i < text.length && !/\s/.test(text[i] as string)) i++;
    }
    values.push(text.slice(start, i));
  }
  return values;
}

/** Where `actual` differs from the abbreviated `expected`, or undefined when it matches. */
export function mismatch(expected: unknown, actual: unknown, at = "$"): string | undefined {
  if (typeof expected === "string") {
    if (typeof actual !== "string") return `${at}: expected a string, got ${JSON.stringify(actual)}`;
    const pattern = new RegExp(
      `^${expected
        .split("…")
        .map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
        .join(".+")}$`,
    );
    return pattern.test(actual)
      ? undefined
      : `${at}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`;
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length)
      return `${at}: expected ${expected.length} items, got ${JSON.stringify(actual)}`;
    for (const [i, item] of expected.entries()) {
      const found = mismatch(item, actual[i], `${at}[${i}]`);
      if (found) return found;
    }
    return undefined;
  }
  if (typeof expected === "object" && expected !== null) {
    if (typeof actual !== "object" || actual === null)
      return `${at}: expected an object, got ${JSON.stringify(actual)}`;
    for (const [key, value] of Object.entries(expected)) {
      if (!(key in actual)) return `${at}.${key}: missing`;
      const found = mismatch(value, (actual as Record<string, unknown>)[key], `${at}.${key}`);
      if (found) return found;
    }
    return undefined;
  }
  return Object.is(expected, actual)
    ? undefined
    : `${at}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`;
}

/** The tour's steps: each shell block with the response block printed under it (none for the setup). */
async function tourSteps(): Promise<{ script: string; response: string | undefined }[]> {
  const readme = await readFile(path.join(repoRoot, "README.md"), "utf8");
  const start = readme.indexOf("## A tour with curl");
  if (start < 0) throw new Error('README.md has no "## A tour with curl" section');
  const end = readme.indexOf("\n## ", start + 5);
  const section = readme.slice(start, end < 0 ? undefined : end);
  const blocks = [...section.matchAll(/```(sh|json)\n([\s\S]*?)```/g)].map((m) => ({
    lang: m[1],
    body: m[2] as string,
  }));
  const steps: { script: string; response: string | undefined }[] = [];
  for (const [i, block] of blocks.entries()) {
    if (block.lang !== "sh") continue;
    const next = blocks[i + 1];
    steps.push({ script: block.body, response: next?.lang === "json" ? next.body : undefined });
  }
  return steps;
}

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer(() => "");
});
afterAll(async () => {
  await server?.close();
});

describe("the root README's tour with curl", () => {
  it("shows a response under every step but the setup", async () => {
    const steps = await tourSteps();
    expect(steps.length).toBeGreaterThanOrEqual(8);
    expect(steps[0]?.response).toBeUndefined();
    for (const step of steps.slice(1)) expect(step.response, step.script).toBeDefined();
  });

  it.skipIf(!hasCurl)(
    "gives the responses it shows, run as written against the reference handler",
    async () => {
      const steps = await tourSteps();
      const marker = (i: number) => `@@scimkit-tour-step ${i}`;
      const setup = (steps[0]?.script ?? "")
        .split("\n")
        .filter((line) => !line.startsWith("export SCIM_TOKEN="))
        .join("\n")
        .replaceAll(README_BASE, server.origin);
      const script = [setup, ...steps.slice(1).map((s, i) => `echo "${marker(i + 1)}"\n${s.script}`)].join(
        "\n",
      );
      // Asynchronously: the server that answers curl runs in this process.
      const result = await run("bash", ["-c", script], {
        env: { PATH: process.env.PATH, HOME: process.env.HOME, SCIM_TOKEN: TOKEN },
        timeoutMs: 60_000,
      });
      expect(result.stderr).toBe("");
      const outputs = result.stdout.split(/^@@scimkit-tour-step \d+\n/m).slice(1);
      expect(outputs).toHaveLength(steps.length - 1);
      for (const [i, step] of steps.slice(1).entries()) {
        const expected = splitValues((step.response ?? "").replaceAll(README_BASE, server.origin)).map((v) =>
          JSON.parse(v),
        );
        const actual = splitValues(outputs[i] ?? "").map((v) => JSON.parse(v));
        const context = `step ${i + 1}:\n${step.script}\noutput:\n${outputs[i]}`;
        expect(actual.length, context).toBe(expected.length);
        for (const [j, value] of expected.entries())
          expect(mismatch(value, actual[j]), context).toBeUndefined();
      }
    },
  );
  if (!hasCurl) {
    // biome-ignore lint/suspicious/noConsole: say why the run is skipped
    console.warn("runtime-check: README tour skipped: curl not found");
  }
});

describe("matching abbreviated responses", () => {
  const cases: [string, { expected: unknown; actual: unknown; want: string | undefined }][] = [
    ["a member shown with its value", { expected: { a: 1 }, actual: { a: 1, b: 2 }, want: undefined }],
    ["a different value", { expected: { a: 1 }, actual: { a: 2 }, want: "$.a: expected 1, got 2" }],
    ["a missing member", { expected: { a: 1 }, actual: {}, want: "$.a: missing" }],
    [
      "… for any text",
      {
        expected: { id: "…", l: "http://x/Users/…" },
        actual: { id: "42", l: "http://x/Users/42" },
        want: undefined,
      },
    ],
    [
      "… does not match another prefix",
      {
        expected: "http://x/Users/…",
        actual: "http://x/Groups/1",
        want: '$: expected "http://x/Users/…", got "http://x/Groups/1"',
      },
    ],
    ["arrays of another length", { expected: [1], actual: [1, 2], want: "$: expected 1 items, got [1,2]" }],
  ];
  it.each(cases)("%s", (_, { expected, actual, want }) => {
    expect(mismatch(expected, actual)).toBe(want);
  });

  it("splits a block into its values", () => {
    expect(splitValues('204\n{ "a": "}" }\n[1, [2]]\n')).toEqual(["204", '{ "a": "}" }', "[1, [2]]"]);
  });
});

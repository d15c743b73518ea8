/// <reference types="node" />
// The README's "Command line" section shows the real usage text, so it cannot drift from `--help`.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { USAGE } from "./args.js";

const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");

describe("README.md, Command line", () => {
  it("shows scimkit test --help verbatim", () => {
    expect(readme).toContain(`\`\`\`text\n${USAGE}\n\`\`\``);
  });

  it("documents every option and exit code", () => {
    const section = readme.slice(readme.indexOf("## Command line"), readme.indexOf("## Use it from a test"));
    for (const option of USAGE.matchAll(/^ {2}(--[a-z-]+)/gm)) expect(section).toContain(`| \`${option[1]}`);
    for (const code of ["`0`", "`1`", "`2`", "`130`"]) expect(section).toContain(code);
  });
});

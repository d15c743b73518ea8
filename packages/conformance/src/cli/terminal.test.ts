import { describe, expect, it } from "vitest";
import { useColor } from "./terminal.js";

describe("useColor", () => {
  const cases: [string, { tty: boolean; env: Record<string, string>; want: boolean }][] = [
    ["a terminal", { tty: true, env: {}, want: true }],
    ["a pipe", { tty: false, env: {}, want: false }],
    ["a terminal with NO_COLOR", { tty: true, env: { NO_COLOR: "1" }, want: false }],
    [
      "a terminal with an empty NO_COLOR (no-color.org: ignored)",
      { tty: true, env: { NO_COLOR: "" }, want: true },
    ],
    ["a dumb terminal", { tty: true, env: { TERM: "dumb" }, want: false }],
    ["a pipe with FORCE_COLOR=1", { tty: false, env: { FORCE_COLOR: "1" }, want: true }],
    ["a pipe with an empty FORCE_COLOR", { tty: false, env: { FORCE_COLOR: "" }, want: true }],
    ["FORCE_COLOR over NO_COLOR", { tty: false, env: { FORCE_COLOR: "1", NO_COLOR: "1" }, want: true }],
    ["a terminal with FORCE_COLOR=0", { tty: true, env: { FORCE_COLOR: "0" }, want: false }],
    ["a terminal with FORCE_COLOR=false", { tty: true, env: { FORCE_COLOR: "false" }, want: false }],
  ];
  it.each(cases)("%s", (_, { tty, env, want }) => {
    expect(useColor(tty, env)).toBe(want);
  });
});

import { afterEach, describe, expect, test } from "vitest";
import { compileFilter } from "./compile-filter.js";

// Its own file: once code generation is refused, compile-source.ts stops trying for the module's lifetime.
describe("where code generation is refused (CSP without unsafe-eval, edge runtimes)", () => {
  const original = globalThis.Function;
  afterEach(() => {
    globalThis.Function = original;
  });

  test("compileFilter falls back to the closures, with the same results, from then on", () => {
    // What a Content-Security-Policy without 'unsafe-eval' does to `new Function`.
    globalThis.Function = function refused() {
      throw new EvalError("Code generation from strings disallowed for this context");
    } as unknown as FunctionConstructor;
    const active = compileFilter('active eq true and emails[type eq "work"]');
    globalThis.Function = original;
    expect(active.name).not.toBe("scimFilter");
    expect(active({ active: true, emails: [{ type: "Work" }] })).toBe(true);
    expect(active({ active: true, emails: [{ type: "home" }] })).toBe(false);
    // Not retried afterwards, even though the constructor is back.
    expect(compileFilter("title pr").name).not.toBe("scimFilter");
  });
});

// Shared vitest settings for every package: resolve workspace imports to their TypeScript source
// (the "@scimkit/source" export condition) and type-check *.test-d.ts files.
import { defineProject } from "vitest/config";

const conditions = ["@scimkit/source", "module", "node", "import", "default"];

/** @param {string} name @param {import("vitest/config").ViteUserConfig["test"]} [test] */
export function scimkitProject(name, test = {}) {
  return defineProject({
    resolve: { conditions },
    ssr: { resolve: { conditions, externalConditions: ["@scimkit/source"] } },
    test: {
      name,
      include: ["src/**/*.test.ts"],
      typecheck: { enabled: true, include: ["src/**/*.test-d.ts"], tsconfig: "./tsconfig.json" },
      ...test,
    },
  });
}

// Shared vitest settings for every package: resolve workspace imports to their TypeScript source
// (the "@scimkit/source" export condition) and type-check *.test-d.ts files.
import { defineProject } from "vitest/config";

const conditions = ["@scimkit/source", "module", "node", "import", "default"];

/** @param {string} name @param {import("vitest/config").ViteUserConfig["test"]} [test] */
export function scimkitProject(name, test = {}) {
  return defineProject({
    resolve: { conditions },
    // Vitest hands ssr conditions to Node as --conditions; "import" there would make require() load the ESM
    // entry of dual packages (express 5's router then gets is-promise's namespace, not its function).
    ssr: {
      resolve: {
        conditions: ["@scimkit/source", "module", "node", "development|production"],
        externalConditions: ["@scimkit/source"],
      },
    },
    test: {
      name,
      include: ["src/**/*.test.ts"],
      // Property tests run thousands of cases, and CI runs several packages' suites at once on 2 cores.
      testTimeout: 120_000,
      hookTimeout: 120_000,
      typecheck: { enabled: true, include: ["src/**/*.test-d.ts"], tsconfig: "./tsconfig.json" },
      // In CI, also write a JSON report that scripts/test-summary.mjs adds up into one closing line.
      ...(process.env.CI
        ? { reporters: ["default", "json"], outputFile: { json: ".vitest/report.json" } }
        : {}),
      ...test,
    },
  });
}

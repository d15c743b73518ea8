import { scimkitProject } from "../../scripts/vitest-shared.mjs";

// The CLI tests run bin/scimkit.js, which imports dist/: build it first when the sources are newer.
export default scimkitProject("codegen", { globalSetup: ["./src/__fixtures__/fresh-dist.ts"] });

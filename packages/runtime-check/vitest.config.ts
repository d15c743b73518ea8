import { scimkitProject } from "../../scripts/vitest-shared.mjs";

// No *.test-d.ts here: the smoke program is type-checked by `tsc` (checkJs) instead.
export default scimkitProject("runtime-check", { typecheck: { enabled: false } });

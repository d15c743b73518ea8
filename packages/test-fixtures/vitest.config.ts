import { scimkitProject } from "../../scripts/vitest-shared.mjs";

export default scimkitProject("test-fixtures");

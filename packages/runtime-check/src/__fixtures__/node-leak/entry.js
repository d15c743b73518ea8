// Fixture for the static check: reaches node:fs and the buffer builtin through a chain of imports.
export { describeHome } from "./middle.js";

// Fixture for the static check: local bindings named like Node globals are not Node globals.
export function run(process, Buffer) {
  const require = (name) => name;
  return [process.env, Buffer.from, require("x"), "process.env in a string"];
}

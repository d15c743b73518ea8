// Loads a subcommand that lives in another package (`scimkit test` in @scimkit/conformance, `scimkit sync`
// in its own package). @scimkit/codegen does not depend on them: they depend on the server and client,
// whose own builds use this generator, so a dependency here would make the workspace a cycle. Instead the
// command is found where the user installed it — next to @scimkit/codegen (npm and yarn install packages
// side by side), or in the project in the working directory (pnpm's strict layout) — and a missing one is a
// usage error that says what to install.
import { createRequire } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { UsageError } from "./cli-args.js";

/**
 * Imports `specifier` (e.g. "@scimkit/conformance/cli") for `scimkit <command>`; throws a
 * {@link UsageError} naming the package to install when neither place has it.
 *
 * @example
 * const module = await importCommand<CommandModule>("@scimkit/conformance/cli", "@scimkit/conformance", "test");
 */
export async function importCommand<Module>(
  specifier: string,
  packageName: string,
  command: string,
  cwd: string = process.cwd(),
): Promise<Module> {
  try {
    return (await import(specifier)) as Module;
  } catch (error) {
    if (!isMissing(error, packageName)) throw error;
  }
  let resolved: string;
  try {
    resolved = createRequire(join(cwd, "package.json")).resolve(specifier);
  } catch (error) {
    if (!isMissing(error, packageName)) throw error;
    throw new UsageError(
      `"scimkit ${command}" needs ${packageName}, which is not installed here: npm install --save-dev ${packageName} (or npx -p @scimkit/codegen -p ${packageName} scimkit ${command} …)`,
    );
  }
  return (await import(pathToFileURL(resolved).href)) as Module;
}

/** Whether `error` says that `packageName` itself (not something it imports) cannot be found. */
function isMissing(error: unknown, packageName: string): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : "";
  return (
    (code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND") &&
    (message.includes(`'${packageName}'`) || message.includes(`'${packageName}/`))
  );
}

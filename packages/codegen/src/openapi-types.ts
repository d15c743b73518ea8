import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";

type Render = (document: object) => Promise<string>;

// Loading openapi-typescript (and the TypeScript compiler it drives) takes about a second, longer than
// the rest of `scimkit generate`; a worker thread loads it while the main thread renders everything else.
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const ready = import(workerData.entry).then((mod) => {
  const api = typeof mod.default === "function" ? mod : mod.default;
  return { openapiTS: api.default ?? api, astToString: api.astToString ?? mod.astToString };
});
parentPort.on("message", async (document) => {
  try {
    const { openapiTS, astToString } = await ready;
    parentPort.postMessage({ ok: true, text: astToString(await openapiTS(document, { alphabetize: false })) });
  } catch (error) {
    parentPort.postMessage({ ok: false, error: error instanceof Error ? error.message : String(error) });
  }
});
`;

async function renderInProcess(document: object): Promise<string> {
  const { default: openapiTS, astToString } = await import("openapi-typescript");
  return astToString(await openapiTS(document as Parameters<typeof openapiTS>[0], { alphabetize: false }));
}

/**
 * Starts loading openapi-typescript in a worker thread and returns a function that turns an OpenAPI
 * 3.1 document into TypeScript path types (`paths`, `components`, `operations`). Falls back to running
 * in this thread where workers are unavailable.
 *
 * @example
 * const toTypes = startOpenApiTypes();
 * const text = await toTypes(buildOpenApi(plan, $defs));
 */
export function startOpenApiTypes(): { render: Render; close(): void } {
  let worker: Worker | undefined;
  try {
    const entry = pathToFileURL(createRequire(import.meta.url).resolve("openapi-typescript")).href;
    worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { entry } });
    worker.unref();
  } catch {
    worker = undefined;
  }
  if (!worker) return { render: renderInProcess, close() {} };
  const w = worker;
  return {
    render: (document) =>
      new Promise<string>((resolve, reject) => {
        const onError = (error: Error) => reject(error);
        w.once("error", onError);
        w.once("message", (reply: { ok: true; text: string } | { ok: false; error: string }) => {
          w.off("error", onError);
          if (reply.ok) resolve(reply.text);
          else reject(new Error(`openapi-typescript failed: ${reply.error}`));
        });
        w.postMessage(document);
      }),
    close: () => void w.terminate(),
  };
}

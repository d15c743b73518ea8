export type { FetchHandler, NodeListenerOptions } from "./node-listener.js";
export { toNodeListener } from "./node-listener.js";
export type { NodeRequest, ToRequestOptions } from "./node-request.js";
export { toRequest, writeResponse } from "./node-request.js";
export type { CloseOptions, RunningServer, ServeOptions } from "./node-serve.js";
export { serve } from "./node-serve.js";

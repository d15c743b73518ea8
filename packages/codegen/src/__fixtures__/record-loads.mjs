// `node --import ./record-loads.mjs …` appends the URL of every module the process loads, one per line,
// to the file named by SCIMKIT_LOAD_LOG: how the tests prove what a subcommand does not load.
import { register } from "node:module";

register("./record-loads-hooks.mjs", import.meta.url, { data: { log: process.env.SCIMKIT_LOAD_LOG } });

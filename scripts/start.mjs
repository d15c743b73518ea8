#!/usr/bin/env node
// `pnpm start`: the reference SCIM 2.0 server, packages/reference-server (settings in its README section).
import { main } from "../packages/reference-server/src/main.mjs";

await main();

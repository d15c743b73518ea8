#!/usr/bin/env node
// The `scimkit` command. Kept outside dist/ so package managers can link it before the first build.
import { main } from "../dist/cli.js";

process.exitCode = await main(process.argv.slice(2));

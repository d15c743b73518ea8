#!/usr/bin/env node
import { main } from "./main.mjs";

await main();

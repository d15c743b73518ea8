import { MemoryStore } from "./memory-store.js";
import { storeSuite } from "./store-suite.js";

storeSuite("MemoryStore", async () => new MemoryStore());

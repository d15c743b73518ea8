import { defineConfig } from "vite";

// The console is served by the reference server under a Content-Security-Policy without 'unsafe-inline':
// no inline scripts (Vite's module-preload polyfill would be one) and no assets inlined as data: URLs.
export default defineConfig({
  base: "./",
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    cssCodeSplit: false,
    sourcemap: false,
  },
  server: { proxy: { "/scim": "http://127.0.0.1:8080" } },
});

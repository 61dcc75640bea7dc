import { defineConfig } from "vite";

// The API serves the built client from its wwwroot; the API's build runs this build.
export default defineConfig({
  build: {
    outDir: "../api/FlashSale.Api/wwwroot",
    emptyOutDir: true,
    target: "es2020",
    // The shopper's first paint must not wait on a second round trip for CSS on slow 3G.
    cssCodeSplit: false,
    modulePreload: { polyfill: false },
    reportCompressedSize: false,
    rollupOptions: {
      // SignalR's ESM build carries /*#__PURE__*/ comments Rollup cannot place; harmless, and noise.
      onwarn(warning, warn) { if (warning.code !== "INVALID_ANNOTATION") warn(warning); },
    },
  },
  server: {
    proxy: { "/api": "http://127.0.0.1:5080", "/hubs": { target: "ws://127.0.0.1:5080", ws: true } },
  },
});

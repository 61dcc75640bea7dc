import { defineConfig, type Plugin } from "vite";
import type { OutputAsset } from "rollup";

/**
 * Puts the entry script and the stylesheet inside index.html. On slow 3G every request costs
 * about two seconds before its first byte, so the page and its code arrive in one response and
 * the sale list's fetch (started by the inline head script) is the only wait after it. Only the
 * SignalR client stays a separate file, loaded after the first render; it imports nothing back.
 */
function inlineEntryIntoHtml(): Plugin {
  return {
    name: "flashsale-inline-entry",
    apply: "build",
    enforce: "post",
    generateBundle(_, bundle) {
      const html = bundle["index.html"] as OutputAsset;
      let source = String(html.source);
      for (const [fileName, output] of Object.entries(bundle)) {
        const tag = output.type === "chunk" && output.isEntry
          ? new RegExp(`<script type="module" crossorigin src="/${fileName}"></script>`)
          : output.type === "asset" && fileName.endsWith(".css") ? new RegExp(`<link rel="stylesheet" crossorigin href="/${fileName}">`) : null;
        if (!tag) continue;
        const code = output.type === "chunk" ? output.code : String(output.source);
        if (/<\/(script|style)/i.test(code)) throw new Error(`${fileName} cannot be inlined: it contains a closing tag`);
        if (!tag.test(source)) throw new Error(`index.html does not reference ${fileName}`);
        source = source.replace(tag, () => (output.type === "chunk" ? `<script type="module">${code}</script>` : `<style>${code}</style>`));
        delete bundle[fileName];
      }
      html.source = source;
    },
  };
}

// The API serves the built client from its wwwroot; the API's build runs this build.
export default defineConfig({
  plugins: [inlineEntryIntoHtml()],
  build: {
    outDir: "../api/FlashSale.Api/wwwroot",
    emptyOutDir: true,
    target: "es2020",
    cssCodeSplit: false,
    modulePreload: { polyfill: false },
    reportCompressedSize: false,
    rollupOptions: {
      output: {
        // The entry is inlined into the page at "/", so its relative import of a chunk must be
        // written as seen from the root: the entry is named at the root, chunks under assets/.
        entryFileNames: "[name]-[hash].js",
        chunkFileNames: "assets/[name]-[hash].js",
      },
      // SignalR's ESM build carries /*#__PURE__*/ comments Rollup cannot place; harmless, and noise.
      onwarn(warning, warn) { if (warning.code !== "INVALID_ANNOTATION") warn(warning); },
    },
  },
  server: {
    proxy: { "/api": "http://127.0.0.1:5080", "/hubs": { target: "ws://127.0.0.1:5080", ws: true } },
  },
});

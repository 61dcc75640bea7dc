import { defineConfig, type Plugin } from "vite";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

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
    // After writing, not in generateBundle: Vite fills its own placeholders in the chunks late.
    writeBundle(options, bundle) {
      const dir = options.dir!;
      const htmlPath = join(dir, "index.html");
      let source = readFileSync(htmlPath, "utf8");
      for (const [fileName, output] of Object.entries(bundle)) {
        const tag = output.type === "chunk" && output.isEntry
          ? `<script type="module" crossorigin src="/${fileName}"></script>`
          : output.type === "asset" && fileName.endsWith(".css") ? `<link rel="stylesheet" crossorigin href="/${fileName}">` : null;
        if (!tag) continue;
        const code = readFileSync(join(dir, fileName), "utf8");
        if (/<\/(script|style)/i.test(code)) throw new Error(`${fileName} cannot be inlined: it contains a closing tag`);
        if (!source.includes(tag)) throw new Error(`index.html does not reference ${fileName}`);
        source = source.replace(tag, () => (output.type === "chunk" ? `<script type="module">${code}</script>` : `<style>${code}</style>`));
        rmSync(join(dir, fileName));
      }
      writeFileSync(htmlPath, source);
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
    // The one lazy chunk (SignalR) imports nothing, so there is nothing to preload.
    modulePreload: false,
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

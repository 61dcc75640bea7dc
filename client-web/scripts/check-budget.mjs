// Fails the build when the shopper pages' JS and CSS, SignalR client included, weigh more than
// the budget gzipped. Every script and stylesheet the build emits is counted (the seller's and
// agent's pages too), so the check can only be stricter than the shopper's real download.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

const budgetBytes = 60 * 1024;
const outDir = new URL("../../api/FlashSale.Api/wwwroot/", import.meta.url).pathname;
const assetsDir = join(outDir, "assets");

const files = readdirSync(assetsDir).filter((f) => f.endsWith(".js") || f.endsWith(".css"));
const sizes = files.map((f) => ({ file: f, gzip: gzipSync(readFileSync(join(assetsDir, f)), { level: 9 }).length }));
// The HTML carries the critical inline code, so it counts too.
sizes.push({ file: "index.html", gzip: gzipSync(readFileSync(join(outDir, "index.html")), { level: 9 }).length });
const total = sizes.reduce((sum, s) => sum + s.gzip, 0);

for (const s of sizes) console.log(`  ${s.file.padEnd(40)} ${(s.gzip / 1024).toFixed(1)} KB gzipped`);
console.log(`weight: ${(total / 1024).toFixed(1)} KB gzipped of a ${budgetBytes / 1024} KB budget`);
writeFileSync(join(outDir, "weight.json"), JSON.stringify({ totalGzipBytes: total, budgetBytes, files: sizes }, null, 2));

if (total > budgetBytes) {
  console.error(`error: the client weighs ${(total / 1024).toFixed(1)} KB gzipped, over its ${budgetBytes / 1024} KB budget`);
  process.exit(1);
}

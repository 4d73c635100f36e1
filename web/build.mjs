// Bundles the explorer into the Python package (src/lapwing/web/static/), so users need no Node.
// Run by setup.py's build step (`pip install .`), or by hand: `npm run build` / `npm run watch`.
import * as esbuild from "esbuild";
import { copyFile, mkdir } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, "..", "src", "lapwing", "web", "static");
const watch = process.argv.includes("--watch");

const options = {
  entryPoints: { app: join(here, "src", "main.js") }, // its CSS imports become app.css
  bundle: true,
  minify: !watch,
  sourcemap: watch ? "inline" : false,
  format: "esm",
  target: ["es2020"],
  outdir: out,
  legalComments: "eof", // keep the libraries' licence notices in the bundle
  logLevel: "info",
};

await mkdir(out, { recursive: true });
await copyFile(join(here, "index.html"), join(out, "index.html"));
// The API's /docs page uses Swagger UI from these files, not from a CDN: it works offline too.
const swagger = join(here, "node_modules", "swagger-ui-dist");
for (const name of ["swagger-ui-bundle.js", "swagger-ui.css"]) await copyFile(join(swagger, name), join(out, name));
if (watch) {
  const ctx = await esbuild.context(options);
  await ctx.watch();
} else {
  await esbuild.build(options);
}

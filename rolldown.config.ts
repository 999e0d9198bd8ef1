import { defineConfig } from "rolldown";

/**
 * The CLI and its read worker as a few files in `dist/bundle/`, bundled from tsc's output (one compiler for
 * the code). Node 20 resolves, reads and compiles every ES module on its own: the CLI's ~380 modules took
 * ~0.3 s before any command ran, on every run and in every read worker. Files the code reads beside itself
 * are found from the package root (src/package-root.ts), and the read worker as `./read-worker.js` beside the
 * module that starts it: both hold in `dist/bundle/` as in `dist/<stage>/`. Packages that read their own
 * files, and those loaded only on demand, stay outside.
 */
export default defineConfig({
  input: { keytrail: "dist/cli/bin.js", "read-worker": "dist/pipeline/read-worker.js" },
  platform: "node",
  external: [/^neo4j-driver/, /^@duckdb\//, /^@cloud-copilot\/iam-data/],
  output: {
    dir: "dist/bundle",
    format: "esm",
    entryFileNames: "[name].js",
    chunkFileNames: "chunk-[hash].js",
    sourcemap: true,
    cleanDir: true,
  },
});

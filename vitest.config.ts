import { configDefaults, defineConfig } from "vitest/config";

// Two projects so that unit tests never pay for a JVM: only the `neo4j` project (test/neo4j) has the
// globalSetup that starts the embedded Neo4j, and vitest runs a project's globalSetup only when it has
// test files in the run. `npx vitest run --project unit` or `--project neo4j` picks one.
export default defineConfig({
  test: {
    testTimeout: 30_000,
    // Covers the Neo4j teardown (SIGTERM, then SIGKILL after 15 s) before vitest force-exits.
    teardownTimeout: 30_000,
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["test/**/*.test.ts"],
          exclude: [...configDefaults.exclude, "test/neo4j/**"],
        },
      },
      {
        extends: true,
        test: {
          name: "neo4j",
          include: ["test/neo4j/**/*.test.ts"],
          globalSetup: ["test/neo4j/global-setup.ts"],
          // The files share one database and clear it between tests, so they must not run at once.
          fileParallelism: false,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});

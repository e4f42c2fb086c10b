import { defineConfig } from 'vitest/config'

// Three projects: fast unit tests, tests that start Anvil, and scenarios (each `scenarios/<name>`).
// Anvil tests and scenarios run one file at a time: on 2 cores the Node client is the bottleneck.
export default defineConfig({
  test: {
    setupFiles: ['./engine/polyfills.ts'],
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['{engine,harness,modules}/**/*.test.ts'],
          exclude: ['**/*.anvil.test.ts', '**/node_modules/**'],
          testTimeout: 20_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'anvil',
          include: ['{engine,harness,modules}/**/*.anvil.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 60_000,
          fileParallelism: false,
        },
      },
      {
        extends: true,
        test: {
          name: 'scenarios',
          include: ['scenarios/**/*.test.ts'],
          testTimeout: 900_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
})

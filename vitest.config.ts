import { defineConfig } from 'vitest/config'
import { shepherdVitest } from './harness/vitest/index.ts'

// Projects: fast unit tests, tests that start Anvil, tests that run a program of their own on both
// cores (a nested vitest: the retry fixture, the mutation check of the judges), and scenarios (each
// `scenarios/<name>`). They run one group after another (sequence.groupOrder), and all but the unit
// tests one file at a time: scenarios judge latency, so nothing else may share the 2 cores with them.
export default defineConfig({
  test: {
    setupFiles: ['./engine/polyfills.ts'],
    // The run gets its own TMPDIR; the `leftovers` project checks it is empty at the end.
    globalSetup: ['./harness/ci/isolateTempDir.ts'],
    // The retry reporter prints "passed on retry N" for a test that needed its retry (scenarios).
    reporters: ['default', './harness/ci/retryReporter.ts'],
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          sequence: { groupOrder: 0 },
          // Scenario folders keep their pure judging tests beside the scenario as *.unit.test.ts.
          include: ['{cli,engine,harness,modules}/**/*.test.ts', 'scenarios/**/*.unit.test.ts'],
          exclude: ['**/*.anvil.test.ts', '**/*.serial.test.ts', '**/*.last.test.ts', '**/node_modules/**'],
          testTimeout: 20_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'anvil',
          sequence: { groupOrder: 1 },
          include: ['{cli,engine,harness,modules}/**/*.anvil.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 60_000,
          fileParallelism: false,
        },
      },
      {
        extends: true,
        test: {
          // Each test here runs a program that takes both cores for a while (a nested vitest): one
          // file at a time, never beside the unit tests. The mutation check of the judges takes
          // ~1.5-3 min on 2 cores.
          name: 'serial',
          sequence: { groupOrder: 2 },
          include: ['{cli,engine,harness,modules}/**/*.serial.test.ts'],
          testTimeout: 600_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
      {
        extends: true,
        test: {
          name: 'scenarios',
          sequence: { groupOrder: 3 },
          // Scenarios judge latency on 2 shared cores: one more run absorbs a noisy neighbour. A pass on
          // the retry is visible: the first attempt's report is kept as `-attempt1`, the final report
          // says "passed on retry 1" and carries its failed bars, the output and CI's summary say so.
          retry: 1,
          include: ['scenarios/**/*.test.ts'],
          exclude: ['**/*.unit.test.ts', '**/node_modules/**'],
          testTimeout: 900_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
      {
        extends: true,
        test: {
          // Shepherd's vitest integration used as a user uses it: `shepherdVitest()` adds its globalSetup
          // (one devnet and one orderbook stub for the run) and its matchers; the `*.spec.ts` files (outside
          // the unit glob) talk to them. The example scenario judges latency: one file at a time, in the
          // scenarios' group, with their retry.
          name: 'vitest-integration',
          sequence: { groupOrder: 3 },
          include: ['harness/vitest/**/*.spec.ts'],
          ...shepherdVitest(),
          retry: 1,
          testTimeout: 900_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
      {
        extends: true,
        test: {
          // After everything else: the run's temporary folder must be empty (harness/ci/isolateTempDir.ts).
          name: 'leftovers',
          sequence: { groupOrder: 4 },
          include: ['harness/ci/*.last.test.ts'],
        },
      },
    ],
  },
})

// The layers of Shepherd, as rules (docs/architecture.md draws them). `npm run lint:deps` checks the
// repository against them; harness/ci/layers.test.ts does the same in the unit tests, and proves on a
// small temporary tree that a violating import is reported.
//
//   cli (and bin)        on top: may import anything
//   scenarios            -> harness, engine, modules/sdk
//   harness              -> engine, modules/sdk
//   engine               -> modules/sdk
//   modules/<name>       -> modules/sdk/index.ts only (and its own folder)
//   modules/sdk          -> nothing of ours
//
// Test code (`*.test.ts`, `*.spec.ts`, `*.bench.ts`, `*.fixture.ts`, anything under a `testing/` or `fixtures/`
// folder) may reach down or across: an engine integration test may start a devnet from the harness.
// Runtime code never imports test code. No cycles, test code included.
//
// Type-only imports count (tsPreCompilationDeps): a layer that needs another's types depends on it.

/** Test code, by name or by folder. */
const TEST_CODE = '(\\.(test|spec|bench)\\.ts$|\\.test-d\\.ts$|\\.fixture\\.ts$|(^|/)(testing|fixtures)/)'

/** Every file of ours, by top-level folder (npm packages and node: built-ins are not ours). */
const OURS = '^(cli|bin|engine|harness|modules|scenarios|fixtures)/'

/** @type {import('dependency-cruiser').IConfiguration} */
export default {
  forbidden: [
    {
      name: 'sdk-imports-nothing-of-ours',
      comment: 'modules/sdk is the bottom layer: it imports npm packages and other files of the SDK, nothing else of ours.',
      severity: 'error',
      from: { path: '^modules/sdk/', pathNot: TEST_CODE },
      to: { path: OURS, pathNot: '^modules/sdk/' },
    },
    {
      name: 'module-imports-only-the-sdk-index',
      comment: 'A module imports the SDK through its public index (modules/sdk/index.ts), its own files and npm packages; nothing else of ours.',
      severity: 'error',
      from: { path: '^modules/([^/]+)/', pathNot: ['^modules/sdk/', TEST_CODE] },
      to: { path: OURS, pathNot: ['^modules/sdk/index\\.ts$', '^modules/$1/'] },
    },
    {
      name: 'engine-imports-only-the-sdk',
      comment: 'The engine sits on the SDK: it never imports a strategy module, the harness, the CLI or a scenario.',
      severity: 'error',
      from: { path: '^engine/', pathNot: TEST_CODE },
      to: { path: OURS, pathNot: ['^engine/', '^modules/sdk/'] },
    },
    {
      name: 'harness-imports-engine-and-sdk',
      comment: 'The harness builds on the engine and the SDK; it never imports a strategy module, the CLI or a scenario.',
      severity: 'error',
      from: { path: '^harness/', pathNot: TEST_CODE },
      to: { path: OURS, pathNot: ['^harness/', '^engine/', '^modules/sdk/'] },
    },
    {
      name: 'scenarios-import-harness-engine-and-sdk',
      comment: 'A scenario is data over the harness: it imports the harness, the engine and the SDK, never the CLI or a strategy module.',
      severity: 'error',
      from: { path: '^scenarios/', pathNot: TEST_CODE },
      to: { path: OURS, pathNot: ['^scenarios/', '^harness/', '^engine/', '^modules/sdk/'] },
    },
    {
      name: 'runtime-never-imports-test-code',
      comment: 'Runtime code must not depend on tests, benches, fixtures or testing/ helpers: they are not shipped.',
      severity: 'error',
      from: { path: OURS, pathNot: TEST_CODE },
      to: { path: TEST_CODE },
    },
    {
      name: 'no-cycles',
      comment: 'Imports form no cycle (type-only imports included): a cycle hides which file owns what.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)node_modules/' },
    // Type-only imports are dependencies too (`import type` from a higher layer is still a wrong way).
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    // Resolve package subpaths (tsx/esm/api) through their `exports`, as Node does.
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
  },
}

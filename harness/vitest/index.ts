/**
 * @packageDocumentation
 * `shepherd/vitest`: a globalSetup that starts one devnet and orderbook stub per run (`shepherdVitest()`), `useShepherd()` to read them in a test, and scenario matchers (`toPass`, `toDeliverEveryPart`, ...).
 *
 * @module shepherd/vitest
 */
// `shepherd/vitest`: run a user's tests against a Shepherd devnet and orderbook stub, and judge
// scenario runs with matchers. Explicit names, no `export *`.
export { shepherdVitest } from './shepherdVitest.ts'
export type { ShepherdVitestParameters, ShepherdVitestReturnType } from './shepherdVitest.ts'
export { useShepherd } from './provided.ts'
export type { ShepherdProvided, ShepherdVitestOptions, UseShepherdReturnType } from './provided.ts'
export { barVerdict, shepherdMatchers } from './matchers.ts'
export type { BarVerdict, JudgedRun, ShepherdMatcherResult, ShepherdMatchers } from './matchers.ts'
export type { ShepherdGlobalSetupProject } from './globalSetup.ts'

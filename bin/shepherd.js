#!/usr/bin/env node
// Runs the TypeScript CLI with no build step: tsx registers its ESM loader, then the entry loads.
import { register } from 'tsx/esm/api'

register()
await import('../engine/polyfills.ts')
const { main } = await import('../engine/cli/main.ts')
process.exitCode = await main(process.argv.slice(2))

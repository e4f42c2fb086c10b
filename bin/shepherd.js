#!/usr/bin/env node
// Two ways to start, chosen by what is on disk:
// - Installed package (no sources, only the build): runs dist/ natively. Nothing to transpile.
// - Source checkout (cli/main.ts present): runs the TypeScript CLI with no build step, so an edit is
//   live at once. Fast path: the CLI is transpiled once into a content-hashed cache
//   (engine/bundle/mirrorEntry.mjs) and Node loads it natively, with no loader hooks: the hooks cost
//   seconds on every start (each of viem's and cow-sdk's hundreds of files went through them).
//   Fallback, with a warning naming why: tsx's loader. SHEPHERD_NO_BUNDLE=1 forces tsx.
//   SHEPHERD_FROM_BUILD=1 runs dist/ even here (after `npm run build`), as an installed package would.
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const source = (path) => fileURLToPath(new URL(path, import.meta.url))

async function loadViaBuild() {
  await import('../dist/engine/polyfills.js')
  return import('../dist/cli/main.js')
}

async function loadViaMirror() {
  const { installMirrorImport } = await import('../engine/bundle/mirrorImport.mjs')
  const { enableCompileCache, mirrorEntry } = await import('../engine/bundle/mirrorEntry.mjs')
  enableCompileCache()
  const [polyfills, cli] = await Promise.all([mirrorEntry(source('../engine/polyfills.ts')), mirrorEntry(source('../cli/main.ts'))])
  installMirrorImport()
  if (process.env.SHEPHERD_SOURCE_MAPS === '1') process.setSourceMapsEnabled(true)
  await import(polyfills)
  return import(cli)
}

async function loadViaTsx() {
  const { register } = await import('tsx/esm/api')
  register()
  await import('../engine/polyfills.ts')
  return import('../cli/main.ts')
}

async function loadFromSources() {
  if (process.env.SHEPHERD_NO_BUNDLE !== '1') {
    try {
      return await loadViaMirror()
    } catch (error) {
      console.error(`shepherd: warn: bundling the CLI failed, loading through tsx (slower start): ${error instanceof Error ? error.message : String(error)}`)
    }
  }
  return loadViaTsx()
}

const fromBuild = process.env.SHEPHERD_FROM_BUILD === '1' || !existsSync(source('../cli/main.ts'))
const cli = fromBuild ? await loadViaBuild() : await loadFromSources()
process.exitCode = await cli.main(process.argv.slice(2))

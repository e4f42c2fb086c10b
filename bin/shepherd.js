#!/usr/bin/env node
// Runs the TypeScript CLI with no build step. Fast path: the CLI is transpiled once into a content-
// hashed cache (engine/bundle/mirrorEntry.mjs) and Node loads it natively, with no loader hooks: the
// hooks cost seconds on every start (each of viem's and cow-sdk's hundreds of files went through them).
// Fallback, with a warning naming why: tsx's loader, as before. SHEPHERD_NO_BUNDLE=1 forces tsx.
import { fileURLToPath } from 'node:url'

const source = (path) => fileURLToPath(new URL(path, import.meta.url))

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

let cli
if (process.env.SHEPHERD_NO_BUNDLE !== '1') {
  try {
    cli = await loadViaMirror()
  } catch (error) {
    console.error(`shepherd: warn: bundling the CLI failed, loading through tsx (slower start): ${error instanceof Error ? error.message : String(error)}`)
  }
}
cli ??= await loadViaTsx()
process.exitCode = await cli.main(process.argv.slice(2))

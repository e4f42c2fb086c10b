// Plain JavaScript on purpose: this runs before any TypeScript loader exists (bin/shepherd.js, the
// worker bootstrap). It transpiles our TypeScript ONCE into a cache and lets Node load the result
// natively, so startup pays no loader hooks: a no-op hook alone costs ~1 s on twap-monitor's imports.
//
// The cache is a mirror: one .mjs per source file (x.ts -> <mirror>/<abs path>/x.ts.mjs), imports
// between our files rewritten to the mirrored files, packages left as bare specifiers (Node resolves
// them from node_modules above the mirror, the same copies the source would load). One file = one
// module instance, exactly as under tsx, so `instanceof ShepherdError` holds between the engine, the
// worker and a module. `import.meta.url` keeps the SOURCE file's URL, so relative assets still resolve.
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import nodeModule, { isBuiltin } from 'node:module'
import { dirname, extname, join, relative, resolve, sep } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

/** The package root (where package.json and node_modules live). */
export const packageRoot = fileURLToPath(new URL('../../', import.meta.url)).replace(/\/$/, '')

/** Bump when the output of `transform` changes meaning: old mirrors are then ignored. */
const layoutVersion = 3

const sourceExtensions = new Set(['.ts', '.mts', '.tsx', '.js', '.mjs', '.jsx'])
const loaders = { '.ts': 'ts', '.mts': 'ts', '.tsx': 'tsx', '.js': 'js', '.mjs': 'js', '.jsx': 'jsx' }

// Packages whose used parts are inlined into the mirror instead of imported: viem/chains is a barrel of
// ~700 chain files that Node would load whole (~0.8-1 s per thread) for the one chain a module uses.
// Chain objects are plain data, so a second copy is harmless. Tree-shaken by esbuild (sideEffects: false).
const inlinedPackages = new Set(['viem/chains'])

// Packages with no "exports" map, so Node's ESM loader takes their CommonJS "main", whose require('viem')
// loads viem's whole CommonJS build a second time (~0.25 s per thread). Their own ESM build ("module")
// imports the ESM viem already loaded. Specifier -> file inside the package.
const esmBuilds = new Map([['@cowprotocol/sdk-viem-adapter', 'dist/index.mjs']])

const hashOf = (text) => createHash('sha1').update(text).digest('hex')

function esbuildVersion() {
  try {
    return JSON.parse(readFileSync(join(packageRoot, 'node_modules/esbuild/package.json'), 'utf8')).version
  } catch {
    return 'missing'
  }
}

/** Where mirrors live: under node_modules (so bare imports resolve), never in tracked files. */
export function defaultMirrorRoot() {
  return join(packageRoot, 'node_modules', '.cache', 'shepherd', `mirror-v${layoutVersion}-esbuild${esbuildVersion()}`)
}

/**
 * Node 22's on-disk V8 code cache (no-op on Node 20, which lacks it): packages then skip compiling too.
 *
 * @example
 * enableCompileCache()
 */
export function enableCompileCache() {
  if (typeof nodeModule.enableCompileCache !== 'function') return
  try {
    nodeModule.enableCompileCache(join(packageRoot, 'node_modules', '.cache', 'shepherd', 'v8'))
  } catch {
    // Only a speed-up: a read-only cache directory must not stop the engine.
  }
}

/** Whether a file is ours to mirror: TypeScript or JavaScript source outside node_modules. */
export function isMirrorable(file) {
  return sourceExtensions.has(extname(file)) && !file.split(sep).includes('node_modules')
}

const mirrorFile = (root, file) => join(root, 'files', `${file}.mjs`)
const manifestFile = (root, entry) => join(root, 'manifests', `${hashOf(entry)}.json`)

function writeAtomic(file, text) {
  mkdirSync(dirname(file), { recursive: true })
  // Two engines may build the same file at once: each writes its own temp file, rename is atomic.
  const temp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`
  writeFileSync(temp, text)
  renameSync(temp, file)
}

/** A fresh mirror's entry file, or undefined when a source changed (or nothing was built yet). */
function freshMirror(root, entry) {
  let manifest
  try {
    manifest = JSON.parse(readFileSync(manifestFile(root, entry), 'utf8'))
  } catch {
    return undefined
  }
  if (manifest.entry !== entry || !Array.isArray(manifest.files)) return undefined
  for (const [file, hash] of manifest.files) {
    let text
    try {
      text = readFileSync(file)
    } catch {
      return undefined
    }
    if (hashOf(text) !== hash || !existsSync(mirrorFile(root, file))) return undefined
  }
  return mirrorFile(root, entry)
}

/** The source as the mirror needs it: the source URL for import.meta, computed imports through the helper. */
export function transformSource(text, file) {
  const url = pathToFileURL(file).href
  return (
    text
      .replace(/\bimport\.meta\.url\b/g, JSON.stringify(url))
      .replace(/\bimport\.meta\.filename\b/g, JSON.stringify(file))
      .replace(/\bimport\.meta\.dirname\b/g, JSON.stringify(dirname(file)))
      // import(someUrl) with a computed specifier: the helper mirrors a .ts target first (see mirrorImport.mjs).
      // A string literal is resolved here at build time instead, like a static import.
      .replace(/(?<![\w$.])import\s*\(\s*(?!['"\s)])/g, `globalThis.__shepherdImport(${JSON.stringify(url)}, `)
  )
}

const relativeSpecifier = (fromFile, toFile) => {
  const path = relative(dirname(fromFile), toFile).split(sep).join('/')
  return `${path.startsWith('.') ? '' : './'}${path}.mjs`
}

const packageName = (specifier) => specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/')

function mirrorPlugin(discovered, hashes) {
  return {
    name: 'shepherd-mirror',
    setup(build) {
      build.onResolve({ filter: /.*/ }, async (args) => {
        if (args.kind === 'entry-point' || args.pluginData === 'inner') return undefined
        // Inside an inlined package: esbuild bundles its own files; only its package imports stay external.
        if (args.importer.split(sep).includes('node_modules')) return /^(\.|\/)/.test(args.path) ? undefined : { path: args.path, external: true }
        if (isBuiltin(args.path)) return { path: args.path, external: true }
        const bare = !/^(\.|\/|file:)/.test(args.path)
        if (bare && !args.importer.startsWith(packageRoot + sep)) {
          // A file outside Shepherd: its packages would resolve from the mirror (under Shepherd's
          // node_modules). Only safe when that is where they resolve from the source as well.
          const found = await build.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, pluginData: 'inner' })
          if (found.errors.length === 0 && found.path && !found.path.startsWith(join(packageRoot, 'node_modules') + sep))
            return { errors: [{ text: `${args.importer} imports "${args.path}" from ${found.path}, outside Shepherd's node_modules: the mirror cannot load it` }] }
          if (found.errors.length > 0 && !existsSync(join(packageRoot, 'node_modules', packageName(args.path))))
            return { errors: [{ text: `Cannot find package "${args.path}" imported from ${args.importer}` }] }
        }
        if (bare && inlinedPackages.has(args.path) && args.importer.startsWith(packageRoot + sep)) return undefined
        const esm = bare && esmBuilds.get(args.path)
        if (esm && existsSync(join(packageRoot, 'node_modules', args.path, esm))) return { path: pathToFileURL(join(packageRoot, 'node_modules', args.path, esm)).href, external: true }
        if (bare) return { path: args.path, external: true }
        const found = await build.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, pluginData: 'inner' })
        if (found.errors.length > 0) return { errors: found.errors }
        if (!isMirrorable(found.path)) return { path: pathToFileURL(found.path).href, external: true }
        discovered.add(found.path)
        return { path: relativeSpecifier(args.importer, found.path), external: true }
      })
      build.onLoad({ filter: /\.[cm]?[jt]sx?$/ }, (args) => {
        if (!isMirrorable(args.path)) return undefined
        const text = readFileSync(args.path, 'utf8')
        hashes.set(args.path, hashOf(text))
        return { contents: transformSource(text, args.path), loader: loaders[extname(args.path)] ?? 'ts', resolveDir: dirname(args.path) }
      })
    },
  }
}

/** Transpiles `entry` and every local file it reaches into the mirror; returns the entry's mirror file. */
async function buildMirror(root, entry) {
  const esbuild = await import('esbuild')
  const hashes = new Map()
  const done = new Set()
  const outputs = []
  let pending = [entry]
  while (pending.length > 0) {
    const discovered = new Set()
    pending.forEach((file) => done.add(file))
    const result = await esbuild.build({
      entryPoints: Object.fromEntries(pending.map((file) => [file.slice(1), file])),
      outdir: join(root, 'files'),
      outExtension: { '.js': '.mjs' },
      // bundle: true so the plugin sees every import; it marks each one external, so nothing is inlined.
      bundle: true,
      write: false,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      sourcemap: 'inline',
      sourcesContent: false,
      logLevel: 'silent',
      // Error locations are relative to this: fixed, so describeBuildError can make them absolute.
      absWorkingDir: packageRoot,
      plugins: [mirrorPlugin(discovered, hashes)],
    })
    outputs.push(...result.outputFiles)
    pending = [...discovered].filter((file) => !done.has(file))
  }
  for (const output of outputs) writeAtomic(output.path, output.text)
  // The manifest last: a reader that sees it sees every file it names.
  writeAtomic(manifestFile(root, entry), JSON.stringify({ entry, files: [...hashes] }))
  return mirrorFile(root, entry)
}

/**
 * Makes sure `entry`'s mirror is current (rebuilding when any source it reaches changed) and tells
 * whether it had to build. Rejects with the esbuild errors (file:line:column: text) when a source does
 * not compile, and with a plain error when the entry is missing or not ours to mirror.
 *
 * @example
 * const { url, built } = await prepareMirror('/repo/modules/twap-monitor/index.ts')
 */
export async function prepareMirror(entry, options = {}) {
  const root = options.root ?? defaultMirrorRoot()
  if (!isMirrorable(entry)) throw new Error(`Cannot bundle ${entry}: not a .ts/.mts/.tsx/.js/.mjs file outside node_modules`)
  if (!existsSync(entry)) throw new Error(`Cannot bundle ${entry}: no such file`)
  const fresh = freshMirror(root, entry)
  if (fresh) return { url: pathToFileURL(fresh).href, built: false }
  const file = await buildMirror(root, entry).catch((error) => Promise.reject(describeBuildError(error, entry)))
  return { url: pathToFileURL(file).href, built: true }
}

const inFlight = new Map()

/**
 * The file URL of `entry`'s current mirror; `prepareMirror` once per entry for this thread's life.
 *
 * @example
 * const { main } = await import(await mirrorEntry('/repo/cli/main.ts'))
 */
export function mirrorEntry(entry, options = {}) {
  const key = `${options.root ?? ''}\0${entry}`
  let result = inFlight.get(key)
  if (!result) {
    result = prepareMirror(entry, options).then((prepared) => prepared.url)
    inFlight.set(key, result)
    // A failure is not kept: a fixed file may be retried.
    result.catch(() => inFlight.delete(key))
  }
  return result
}

function describeBuildError(error, entry) {
  const errors = Array.isArray(error?.errors) ? error.errors : []
  if (errors.length === 0) return error
  const lines = errors.slice(0, 5).map((e) => (e.location ? `${resolve(packageRoot, e.location.file)}:${e.location.line}:${e.location.column}: ${e.text}` : e.text))
  return new Error(`Cannot bundle ${entry}:\n  ${lines.join('\n  ')}`, { cause: error })
}

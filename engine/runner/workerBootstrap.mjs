// Plain JavaScript on purpose: a worker thread starts without the parent's loader hooks. The fast path
// loads worker.ts and the module from the mirror (engine/bundle/mirrorEntry.mjs: transpiled once into a
// content-hashed cache, loaded by Node with no hooks: ~3x faster than tsx for twap-monitor). If the
// mirror cannot be built (esbuild missing, cache not writable, a package outside node_modules), it falls
// back to registering tsx, with a warn log naming why. SHEPHERD_NO_BUNDLE=1 forces the tsx path.
// From the build (dist/, an installed package) there is nothing to transpile: worker.js loads natively
// and a user's TypeScript module goes through tsx only when imported (engine/module/importModuleUrl.ts).
import { parentPort, workerData } from 'node:worker_threads'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const builtWorker = fileURLToPath(new URL('./worker.js', import.meta.url))
const fromBuild = existsSync(builtWorker)
const workerFile = fileURLToPath(new URL('./worker.ts', import.meta.url))
const started = performance.now()

async function viaMirror() {
  const { installMirrorImport } = await import('../bundle/mirrorImport.mjs')
  const { enableCompileCache, mirrorEntry } = await import('../bundle/mirrorEntry.mjs')
  enableCompileCache()
  // Both before anything runs: a fallback after worker.ts loaded would give the module other class
  // instances (ShepherdError, CowApiError) than the worker's.
  const [worker] = await Promise.all([mirrorEntry(workerFile), mirrorEntry(moduleFile)])
  installMirrorImport()
  return worker
}

const moduleFile = workerData.url.startsWith('file:') ? fileURLToPath(workerData.url) : workerData.url

async function load() {
  if (!existsSync(moduleFile)) {
    // Not a bundling problem: say what is wrong instead of trying tsx too. The runner then ends this
    // thread; a ConfigError (action stop) parks the module at once: retrying cannot bring the file.
    const { file, index, name, builtIn } = workerData.origin
    const key = builtIn ? `modules.${index}.name` : `modules.${index}.path`
    const shortMessage = `Module "${name}" not found`
    const details = [`file: ${file}`, `key: ${key}`, `expected: ${builtIn ? 'a built-in module name' : 'a module file'}`, `found: ${moduleFile}`]
    const message = [shortMessage, '', ...details.map((d) => `  ${d}`)].join('\n')
    parentPort?.postMessage({ type: 'failed', error: { name: 'ConfigError', message, shortMessage, details, action: 'stop', file, key } })
    return
  }
  if (fromBuild) {
    await import(builtWorker)
    parentPort?.postMessage({ type: 'log', level: 'debug', message: 'module worker loaded', fields: { module: workerData.module, ms: Math.round(performance.now() - started), via: 'build' } })
    return
  }
  let entry
  let fallback = 'SHEPHERD_NO_BUNDLE=1'
  if (process.env.SHEPHERD_NO_BUNDLE !== '1') {
    try {
      entry = await viaMirror()
    } catch (error) {
      fallback = error instanceof Error ? error.message : String(error)
      parentPort?.postMessage({ type: 'log', level: 'warn', message: 'module worker: bundling failed, loading through tsx (slower start)', fields: { module: workerData.module, reason: fallback } })
    }
  }
  if (entry) {
    if (process.env.SHEPHERD_SOURCE_MAPS === '1') process.setSourceMapsEnabled(true)
    await import(entry)
  } else {
    const { register } = await import('tsx/esm/api')
    register()
    await import('./worker.ts')
  }
  const fields = { module: workerData.module, ms: Math.round(performance.now() - started), via: entry ? 'bundle' : `tsx (${fallback})` }
  parentPort?.postMessage({ type: 'log', level: 'debug', message: 'module worker loaded', fields })
}

await load()

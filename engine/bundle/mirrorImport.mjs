// The runtime half of the mirror: mirrored code calls globalThis.__shepherdImport(parentUrl, specifier)
// wherever the source had `import(computed)` (loadModule's `import(url)`, the worker's module import).
// A .ts target must be mirrored first; Node 20 cannot load it natively.
import { isAbsolute } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { isMirrorable, mirrorEntry } from './mirrorEntry.mjs'

/**
 * `import(specifier)` as seen from `parentUrl`, mirroring a local TypeScript/JavaScript target first.
 *
 * @example
 * const mod = await mirrorImport('file:///repo/engine/module/loadModules.ts', 'file:///repo/modules/twap-monitor/index.ts')
 */
export async function mirrorImport(parentUrl, specifier, options) {
  const text = String(specifier)
  let url
  if (text.startsWith('file:')) url = text
  else if (isAbsolute(text)) url = pathToFileURL(text).href
  else if (text.startsWith('./') || text.startsWith('../')) url = new URL(text, parentUrl).href
  if (url) {
    const file = fileURLToPath(url)
    if (isMirrorable(file)) return import(await mirrorEntry(file), options)
  }
  return options === undefined ? import(url ?? text) : import(url ?? text, options)
}

/**
 * Installs `mirrorImport` as the global the mirrored code calls. Idempotent.
 *
 * @example
 * installMirrorImport()
 * await import(await mirrorEntry(entryFile))
 */
export function installMirrorImport() {
  globalThis.__shepherdImport ??= mirrorImport
}

import { readFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'

// `import x from '...'`, `import type ...` (skipped: erased), `export ... from '...'` and `import '...'`;
// never `import('...')`, which loads only when called.
const staticImport = /^\s*(import|export)\s+(type\s+)?([^'";]*?\s+from\s+)?['"]([^'"]+)['"]/gm

export type StaticPackageImportsReturnType = Map<string, string[]>

/**
 * The packages a set of entry files load when imported: follows the static, non-type imports of our
 * own files (relative specifiers) and collects the bare ones, each with the first file that imports
 * it. Dynamic `import()` is not followed (it loads only when called).
 *
 * @example
 * staticPackageImports(['/repo/harness/index.ts']).has('vitest') // false: test helpers stay out of runtime entries
 */
export function staticPackageImports(entries: readonly string[]): StaticPackageImportsReturnType {
  const packages: StaticPackageImportsReturnType = new Map()
  const seen = new Set<string>()
  const pending = [...entries]
  while (pending.length > 0) {
    const file = pending.pop()!
    if (seen.has(file)) continue
    seen.add(file)
    for (const match of readFileSync(file, 'utf8').matchAll(staticImport)) {
      const [, keyword, typeOnly, clause, specifier] = match
      if (typeOnly || !specifier || (keyword === 'export' && !clause)) continue
      if (specifier.startsWith('.')) pending.push(resolve(dirname(file), specifier))
      else if (!specifier.startsWith('node:')) {
        const name = specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/')
        packages.set(name, [...(packages.get(name) ?? []), file])
      }
    }
  }
  return packages
}

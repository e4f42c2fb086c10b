import { readFileSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

// This file is engine/packageInfo.ts in the source checkout and dist/engine/packageInfo.js when built:
// the package root is one folder up, or two when that folder is the build's dist/.
const above = dirname(dirname(fileURLToPath(import.meta.url)))

/**
 * The folder holding Shepherd's package.json and bin/, whether Shepherd runs from its sources or
 * from its build (dist/) inside another project's node_modules.
 *
 * @example
 * const bin = join(packageRoot, 'bin/shepherd.js')
 */
export const packageRoot: string = basename(above) === 'dist' ? dirname(above) : above

/**
 * True when this code runs from the build (dist/): files are `.js`, and a user's TypeScript module
 * needs a loader (the source checkout transpiles through its mirror or tsx instead).
 *
 * @example
 * const builtIn = join(modulesRoot, name, runsFromBuild ? 'index.js' : 'index.ts')
 */
export const runsFromBuild: boolean = basename(above) === 'dist'

/**
 * Shepherd's own version (package.json), for `--version`, reports and cassette headers.
 *
 * @example
 * console.log(`shepherd ${packageVersion}`)
 */
export const packageVersion: string = (JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as { version: string }).version

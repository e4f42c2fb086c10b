import { runsFromBuild } from '../packageInfo.ts'

const typeScriptFile = /\.[cm]?tsx?$/
let tsxRegistered: Promise<void> | undefined

/**
 * Imports a module file by URL. From the build (an installed package) a user's TypeScript module
 * goes through tsx's loader, registered once per thread and only when such a file is first
 * imported: Shepherd's own code is already loaded by then, so the hooks see only the user's files
 * (and their new imports), and one file stays one module instance (`instanceof CowApiError` holds
 * between a module and the engine). From the sources the caller's own transpiler (the mirror, tsx
 * or vitest) already handles TypeScript.
 *
 * @example
 * const imported = await importModuleUrl('file:///project/myModule.ts')
 */
export async function importModuleUrl(url: string): Promise<Record<string, unknown>> {
  if (runsFromBuild && typeScriptFile.test(new URL(url).pathname)) {
    // tsx's global register(), not tsImport(): tsImport scopes its loader with a query on every URL
    // it reaches, which gives the module its own copy of shepherd/sdk and breaks instanceof.
    tsxRegistered ??= import('tsx/esm/api').then(({ register }) => void register())
    await tsxRegistered
  }
  return (await import(url)) as Record<string, unknown>
}

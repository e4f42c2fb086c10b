import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import ts from 'typescript'

/** One entry point of the package: its subpath in `exports` and its source file. */
export type PublicEntry = { subpath: string; source: string }

export type DescribePublicApiParameters = {
  /** The package root (package.json, tsconfig.json). */
  root: string
  /** The entries to describe; by default every `exports` subpath with a JavaScript target. */
  entries?: readonly PublicEntry[]
}

/** Per subpath, the API text: one line per export (sorted), with its kind and type signature. */
export type DescribePublicApiReturnType = Map<string, string>

/**
 * The entry points package.json's `exports` map names, with the source each is built from
 * (`./dist/engine/index.js` comes from `engine/index.ts`).
 *
 * @example
 * publicEntries('/repo') // [{ subpath: '.', source: 'engine/index.ts' }, { subpath: './sdk', ... }, ...]
 */
export function publicEntries(root: string): PublicEntry[] {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { exports: Record<string, string | { import?: string }> }
  return Object.entries(pkg.exports).flatMap(([subpath, target]) => {
    const file = typeof target === 'string' ? target : target.import
    if (!file?.startsWith('./dist/') || !file.endsWith('.js')) return []
    return [{ subpath, source: file.slice('./dist/'.length, -'.js'.length) + '.ts' }]
  })
}

const flags = ts.TypeFormatFlags.NoTruncation | ts.TypeFormatFlags.UseStructuralFallback
const aliasFlags = flags | ts.TypeFormatFlags.InTypeAlias

function describeSymbol(checker: ts.TypeChecker, exported: ts.Symbol): string {
  const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported
  const name = exported.name
  const declaration = symbol.declarations?.[0]
  const lines: string[] = []
  if (symbol.flags & ts.SymbolFlags.Class && declaration) {
    const type = checker.getTypeOfSymbolAtLocation(symbol, declaration)
    const ctor = type.getConstructSignatures().map((s) => checker.signatureToString(s, undefined, flags, ts.SignatureKind.Construct))
    lines.push(`class ${name} ${ctor.join(' | ')}`)
    const instance = checker.getDeclaredTypeOfSymbol(symbol)
    const base = instance.getBaseTypes?.()?.map((b) => checker.typeToString(b, undefined, flags)) ?? []
    if (base.length) lines.push(`  extends ${base.join(', ')}`)
    for (const member of checker.getPropertiesOfType(instance)) {
      const decl = member.valueDeclaration ?? member.declarations?.[0]
      if (!decl || decl.getSourceFile() !== declaration.getSourceFile()) continue // inherited: described with its own class
      const modifiers = ts.getCombinedModifierFlags(decl)
      if (modifiers & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected) || member.name.startsWith('#')) continue
      lines.push(`  ${modifiers & ts.ModifierFlags.Readonly ? 'readonly ' : ''}${member.name}: ${checker.typeToString(checker.getTypeOfSymbolAtLocation(member, decl), undefined, flags)}`)
    }
    return lines.join('\n')
  }
  if (symbol.flags & ts.SymbolFlags.Function && declaration) {
    const type = checker.getTypeOfSymbolAtLocation(symbol, declaration)
    return type
      .getCallSignatures()
      .map((s) => `function ${name}${checker.signatureToString(s, undefined, flags)}`)
      .join('\n')
  }
  if (symbol.flags & (ts.SymbolFlags.TypeAlias | ts.SymbolFlags.Interface) && declaration) {
    const parameters = (ts.isTypeAliasDeclaration(declaration) || ts.isInterfaceDeclaration(declaration) ? declaration.typeParameters : undefined) ?? []
    const generic = parameters.length ? `<${parameters.map((p) => p.getText()).join(', ')}>` : ''
    const type = ts.isTypeAliasDeclaration(declaration) ? checker.getTypeFromTypeNode(declaration.type) : checker.getDeclaredTypeOfSymbol(symbol)
    return `type ${name}${generic} = ${checker.typeToString(type, declaration, aliasFlags)}`
  }
  if (symbol.flags & ts.SymbolFlags.Variable && declaration) {
    return `const ${name}: ${checker.typeToString(checker.getTypeOfSymbolAtLocation(symbol, declaration), undefined, flags)}`
  }
  return `${ts.SymbolFlags[symbol.flags] ?? symbol.flags} ${name}`
}

/**
 * What each entry point exports, by name, with kind and type signature: the public API as a text
 * that changes exactly when the API does (a snapshot test compares it; `npm run api:update` rewrites
 * it). Computed by the TypeScript compiler over the sources, so it needs no build.
 *
 * @example
 * const api = describePublicApi({ root: process.cwd() })
 * console.log(api.get('./sdk'))
 */
export function describePublicApi({ root, entries = publicEntries(root) }: DescribePublicApiParameters): DescribePublicApiReturnType {
  const config = ts.getParsedCommandLineOfConfigFile(join(root, 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} })
  const present = entries.filter((entry) => existsSync(join(root, entry.source)))
  const program = ts.createProgram(
    present.map((entry) => join(root, entry.source)),
    { ...config?.options, noEmit: true },
  )
  const checker = program.getTypeChecker()
  const described: DescribePublicApiReturnType = new Map()
  for (const entry of entries) {
    const sourceFile = program.getSourceFile(join(root, entry.source))
    const moduleSymbol = sourceFile && checker.getSymbolAtLocation(sourceFile)
    if (!moduleSymbol) {
      described.set(entry.subpath, `(no source yet: ${entry.source})`)
      continue
    }
    const exports = checker.getExportsOfModule(moduleSymbol).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    described.set(entry.subpath, withoutCheckoutPaths(exports.map((symbol) => describeSymbol(checker, symbol)).join('\n'), root))
  }
  return described
}

/**
 * The compiler names a type it cannot reach by an exported name as `import("/abs/path/...")`: the
 * absolute path of this checkout, which differs on every clone. The API text keeps only what is the
 * same everywhere: the package name for a dependency, a root-relative path for our own files.
 *
 * @example
 * withoutCheckoutPaths('x: import("/repo/node_modules/viem/index").Hex', '/repo') // 'x: import("viem/index").Hex'
 * withoutCheckoutPaths('x: import("/other/node_modules/viem/index").Hex', '/repo') // 'x: import("viem/index").Hex' (a linked node_modules)
 */
export function withoutCheckoutPaths(text: string, root: string): string {
  const base = root.replace(/\\/g, '/').replace(/\/+$/, '')
  // Any node_modules, not only this checkout's: a worktree's node_modules may be a link to another checkout's.
  return text.replace(/import\("[^"]*\/node_modules\//g, 'import("').split(`import("${base}/`).join('import("./')
}

import { createRequire } from 'node:module'
import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { DevnetError } from './DevnetError.ts'

/** The npm package that ships the prebuilt Anvil for this platform. */
export const anvilPackage = '@foundry-rs/anvil-linux-amd64'

/**
 * Absolute path of the Anvil binary from `@foundry-rs/anvil-linux-amd64`. prool hangs forever on a
 * missing binary, so we check it here and fail with a named package instead.
 *
 * @example
 * const binary = resolveAnvilBinary() // .../node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil
 */
export function resolveAnvilBinary(): string {
  let manifest: string
  try {
    manifest = createRequire(import.meta.url).resolve(`${anvilPackage}/package.json`)
  } catch (cause) {
    throw new DevnetError(`Anvil binary package ${anvilPackage} is not installed`, {
      cause,
      hint: `Run \`npm install\` (never with --omit=optional): ${anvilPackage} is an optional dependency of @foundry-rs/anvil.`,
    })
  }
  const binary = join(dirname(manifest), 'bin', 'anvil')
  if (!existsSync(binary))
    throw new DevnetError(`Anvil binary missing from ${anvilPackage}`, { details: [`expected: ${binary}`], hint: 'Reinstall the package.' })
  return binary
}

// Types for mirrorImport.mjs.

/** `import(specifier)` as seen from `parentUrl`, mirroring a local TypeScript/JavaScript target first. */
export declare function mirrorImport(parentUrl: string, specifier: unknown, options?: ImportCallOptions): Promise<Record<string, unknown>>
/** Installs `mirrorImport` as globalThis.__shepherdImport, which mirrored code calls. Idempotent. */
export declare function installMirrorImport(): void

// Types for mirrorEntry.mjs (plain JavaScript: it runs before any TypeScript loader exists).

/** The package root (where package.json and node_modules live). */
export declare const packageRoot: string
/** Where mirrors live by default: <package>/node_modules/.cache/shepherd/mirror-v<N>-esbuild<version>. */
export declare function defaultMirrorRoot(): string
/** Whether a file is ours to mirror: TypeScript or JavaScript source outside node_modules. */
export declare function isMirrorable(file: string): boolean
/** The source as the mirror transpiles it: import.meta keeps the source URL, computed imports go through the helper. */
export declare function transformSource(text: string, file: string): string
export type MirrorOptions = { /** The mirror's root directory; default `defaultMirrorRoot()`. */ root?: string }
/** Makes `entry`'s mirror current; `built` tells whether anything had to be transpiled. */
export declare function prepareMirror(entry: string, options?: MirrorOptions): Promise<{ url: string; built: boolean }>
/** The file URL of `entry`'s current mirror, prepared once per entry for this thread's life. */
export declare function mirrorEntry(entry: string, options?: MirrorOptions): Promise<string>
/** Turns on Node 22's on-disk V8 code cache under node_modules/.cache/shepherd/v8; a no-op on Node 20. */
export declare function enableCompileCache(): void

// Plain JavaScript on purpose: a worker thread starts without the parent's loader hooks (bin/shepherd.js
// registers tsx with register(), which workers do not inherit; vitest transforms only its own files).
// Registering tsx here lets worker.ts and the module's TypeScript load under Node 20 and 22 alike.
import { register } from 'tsx/esm/api'

register()
await import('./worker.ts')

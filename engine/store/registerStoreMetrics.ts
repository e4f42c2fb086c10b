import { statSync } from 'node:fs'
import { join } from 'node:path'
import { Gauge, type Registry } from 'prom-client'

export type RegisterStoreMetricsParameters = {
  registry: Registry
  /** The lmdb environment's directory (its data file is `data.mdb` there). */
  stateDir: string
  /** Entries per module database right now (module name -> count); called at each scrape. */
  entries(): Iterable<[string, number]>
}

/**
 * Registers `shepherd_store_size_bytes` (the lmdb data file's size on disk) and
 * `shepherd_store_entries{module}` (entries per module database, from lmdb's page statistics, so
 * a scrape costs no iteration), both read at scrape time. A store reopened on the same registry
 * takes the gauges over: the newest store is the one that is read.
 *
 * @example
 * registerStoreMetrics({ registry: metrics.registry, stateDir: '.state', entries: () => [['twap-monitor', 12]] })
 */
export function registerStoreMetrics({ registry, stateDir, entries }: RegisterStoreMetricsParameters): void {
  const dataFile = join(stateDir, 'data.mdb')
  for (const name of ['shepherd_store_size_bytes', 'shepherd_store_entries']) registry.removeSingleMetric(name)
  new Gauge({
    name: 'shepherd_store_size_bytes',
    help: "Size on disk of the lmdb store's data file (data.mdb), read at scrape time",
    registers: [registry],
    collect() {
      try {
        this.set(statSync(dataFile).size)
      } catch {
        // A store that is gone or closed has no size to report; the series is absent, not 0.
        this.reset()
      }
    },
  })
  new Gauge({
    name: 'shepherd_store_entries',
    help: 'Entries (keys) in each module database of the store, read at scrape time',
    labelNames: ['module'] as const,
    registers: [registry],
    collect() {
      this.reset()
      for (const [module, count] of entries()) this.set({ module }, count)
    },
  })
}

import { Counter, type Registry } from 'prom-client'

export type CounterOfParameters<Label extends string> = { name: string; help: string; labelNames: readonly Label[] }

/**
 * The counter `name` of a registry, created (and registered) on first use: parts built more than
 * once per registry (a store reopened, a supervisor per module) share one series set instead of
 * failing prom-client's duplicate-name check.
 *
 * @example
 * const refused = counterOf(metrics.registry, { name: 'shepherd_store_write_errors_total', help: 'lmdb transactions refused', labelNames: ['database'] })
 * refused.inc({ database: 'engine' })
 */
export function counterOf<Label extends string>(registry: Registry, { name, help, labelNames }: CounterOfParameters<Label>): Counter<Label> {
  const existing = registry.getSingleMetric(name)
  if (existing) return existing as Counter<Label>
  return new Counter({ name, help, labelNames, registers: [registry] })
}

import type { Counter, Registry } from 'prom-client'
import { counterOf } from '../metrics/counterOf.ts'

const skippedMetricName = 'shepherd_module_skipped_events_total'

/**
 * The skipped-events counter of a registry (`shepherd_module_skipped_events_total{module,chain_id}`: events
 * that came while a module was parked), created once per registry.
 *
 * @example
 * skippedEventsCounter(metrics.registry).inc({ module: 'twap-monitor' })
 */
export function skippedEventsCounter(registry: Registry): Counter<'module' | 'chain_id'> {
  return counterOf(registry, { name: skippedMetricName, help: 'Events a poisoned module did not process', labelNames: ['module', 'chain_id'] })
}

import type { ErrorsSection } from '../report/types.ts'
import type { EngineFigures } from './readEngineFigures.ts'

export type EngineErrorsOfReturnType = { errors: ErrorsSection; evidence: { notMeasured: string[]; hostFailures: Array<{ module: string; capability: string; count: number }> } }

/**
 * The report's "Errors, traps and poison" inputs from the engine's figures: per module, the module
 * errors, traps by kind, restarts and poisoned modules; host failures; and each figure that could not
 * be read, with why (it then has no rows: its bar and `notMeasured` say so, never "none").
 *
 * @example
 * const { errors, evidence } = engineErrorsOf(readEngineFigures(before, after))
 * errorsSection({ errors, evidence: { ...evidence, endedEngines: [] } })
 */
export function engineErrorsOf(engine: EngineFigures): EngineErrorsOfReturnType {
  const notMeasured = [engine.traps, engine.restarts, engine.moduleErrors, engine.hostFailures, engine.poisoned].flatMap((e) => ('notMeasured' in e ? [e.notMeasured] : []))
  return {
    errors: {
      moduleErrors: 'value' in engine.moduleErrors ? engine.moduleErrors.value : [],
      // One row per module and kind (the row's `kind` is an extra field the renderer may show).
      traps: 'value' in engine.traps ? engine.traps.value.map((t) => ({ module: t.module, count: t.count, kind: t.kind })) : [],
      restarts: 'value' in engine.restarts ? engine.restarts.value : [],
      poisoned: 'value' in engine.poisoned ? engine.poisoned.value : [],
    },
    evidence: { notMeasured: [...new Set(notMeasured)], hostFailures: 'value' in engine.hostFailures ? engine.hostFailures.value : [] },
  }
}

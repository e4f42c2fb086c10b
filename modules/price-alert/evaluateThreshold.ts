/** Whether the threshold alert may fire again (`armed`), and since which block it is in that state. */
export type ThresholdState = { armed: boolean; since: bigint }

export type EvaluateThresholdParameters = {
  state: ThresholdState
  answer: bigint
  threshold: bigint
  direction: 'above' | 'below'
  /** Margin (same raw units) the answer must move back past the threshold before re-arming. */
  hysteresis: bigint
  block: bigint
}

export type EvaluateThresholdReturnType = { state: ThresholdState; event: 'alert' | 'rearm' | null }

/**
 * The alert state machine, pure. Armed and the condition holds (above: answer >= threshold; below:
 * answer <= threshold) -> `alert`, disarmed. Disarmed and the answer went back past the threshold by
 * more than the hysteresis (above: answer < threshold - hysteresis; below: answer > threshold +
 * hysteresis) -> `rearm`. Anything else leaves the state as it is, so one crossing alerts once.
 *
 * @example
 * evaluateThreshold({ state: { armed: true, since: 0n }, answer: 3000n, threshold: 2500n, direction: 'above', hysteresis: 0n, block: 7n })
 * // { state: { armed: false, since: 7n }, event: 'alert' }
 */
export function evaluateThreshold(parameters: EvaluateThresholdParameters): EvaluateThresholdReturnType {
  const { state, answer, threshold, direction, hysteresis, block } = parameters
  const holds = direction === 'above' ? answer >= threshold : answer <= threshold
  if (state.armed && holds) return { state: { armed: false, since: block }, event: 'alert' }
  const cleared = direction === 'above' ? answer < threshold - hysteresis : answer > threshold + hysteresis
  if (!state.armed && cleared) return { state: { armed: true, since: block }, event: 'rearm' }
  return { state, event: null }
}

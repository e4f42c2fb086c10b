import { parseArgs } from 'node:util'
import { loadConfig } from '../engine/config/loadConfig.ts'
import { ConfigError } from '../engine/errors/config.ts'
import { createLogger } from '../engine/host/createLogger.ts'
import { startEngine } from '../engine/startEngine.ts'

/** `shepherd run --config engine.toml [--pretty]`: runs until SIGINT/SIGTERM, then shuts down gracefully. */
export async function runCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { config: { type: 'string', short: 'c' }, pretty: { type: 'boolean', default: false } }, strict: true })
  if (!values.config)
    throw new ConfigError('Missing --config', { file: '(command line)', key: '--config', expected: 'shepherd run --config <engine.toml>', found: 'nothing' })
  const config = loadConfig(values.config)
  const logger = createLogger({ level: config.engine.log_level, pretty: values.pretty })
  const engine = await startEngine({ config, logger })

  const signal = await new Promise<string>((resolve) => {
    process.once('SIGINT', resolve)
    process.once('SIGTERM', resolve)
  })
  logger.info('shutting down', { signal })
  // A second signal during shutdown exits at once.
  const force = () => process.exit(130)
  process.once('SIGINT', force)
  process.once('SIGTERM', force)
  await engine.stop()
  return 0
}

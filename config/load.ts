/** Loads the configuration at boot: the JSON file named by CANDOR_CONFIG (if any), then the environment. */
import { readFileSync } from 'node:fs';
import { ConfigError, resolveConfig, type CandorConfig } from './schema.ts';

export const CONFIG_FILE_VARIABLE = 'CANDOR_CONFIG';

export function loadConfig(env: Readonly<Record<string, string | undefined>> = process.env): { config: CandorConfig; file: string | null } {
  const file = env[CONFIG_FILE_VARIABLE] ?? null;
  let values: Record<string, unknown> = {};
  if (file !== null) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      throw new ConfigError([`${CONFIG_FILE_VARIABLE}=${file}: cannot read it as JSON (${(error as Error).message})`]);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new ConfigError([`${CONFIG_FILE_VARIABLE}=${file}: the file must hold one JSON object`]);
    }
    values = parsed as Record<string, unknown>;
  }
  return { config: resolveConfig(values, env), file };
}

/** For a process's entry point: the configuration, or its problems on standard error and exit code 2. */
export function loadConfigOrExit(): { config: CandorConfig; file: string | null } {
  try {
    return loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(2);
  }
}

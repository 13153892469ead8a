import { ConfigError } from '../scenario/config-error';
import { closest } from './suggest';
import { OPTIONS, OptionTable, scenarioKeys } from './table';

const STAGES_EG = "stages: [ramp('30s', 1000), hold('30s')]";
/** k6 reflexes: options wsbench expresses with stages. */
const K6_KEYS: Record<string, string> = {
  vus: `VUs over time are set by the stages, e.g. ${STAGES_EG}`,
  iterations: `a VU runs until its stage ends, so the stages set both load and length, e.g. ${STAGES_EG}`,
  duration: `the run lasts as long as its stages, e.g. ${STAGES_EG} (or --duration on the command line)`,
};

/** Rejects a key the table does not have: one line naming it, the file and the likely meant key. */
export function checkKeys(options: object, file: string, table: OptionTable = OPTIONS): void {
  const known = scenarioKeys(table);
  for (const key of Object.keys(options)) {
    if (known.includes(key)) continue;
    const what = `options.${key} in ${file} is not an option`;
    const k6 = K6_KEYS[key] ?? K6_KEYS[key.toLowerCase()];
    if (k6) throw new ConfigError(`${what}: ${k6}`);
    const near = closest(key, known);
    const hint = near ? `; did you mean ${near}?` : ` (options are ${known.join(', ')})`;
    throw new ConfigError(`${what}${hint} Scenario-specific settings go under extra: { ${key}: ... }`);
  }
  const extra = (options as { extra?: unknown }).extra;
  if (extra !== undefined && (typeof extra !== 'object' || extra === null || Array.isArray(extra))) {
    throw new ConfigError(`options.extra in ${file} must be an object of scenario-specific settings (got ${JSON.stringify(extra)})`);
  }
}

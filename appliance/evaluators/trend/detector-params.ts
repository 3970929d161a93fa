import { durationExample, parseDuration } from '../../config/duration.ts';

/**
 * Rule parameters for a detector, derived from its defaults: option `trainWindowMs` is the rule
 * parameter `train_window` (a duration such as 6h, or milliseconds), `maxModels` is `max_models`.
 * Ranges are checked by the detector's constructor, which names the option and the fix.
 */

/** Rule parameter name of a detector option. */
export function paramName(option: string): string {
  const snake = option.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
  return snake.endsWith('_ms') ? snake.slice(0, -3) : snake;
}

/** JSON Schema of the rule parameters for a detector with these defaults. */
export function paramsSchemaFor(
  defaults: object,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  const properties: Record<string, unknown> = { ...extra };
  for (const [option, value] of Object.entries(defaults)) {
    const meaning = `detector option ${option}, documented in appliance/trend/detectors/`;
    properties[paramName(option)] = option.endsWith('Ms')
      ? {
          type: ['number', 'string'],
          description: `${durationExample}, or ms; default ${String(value)} ms (${meaning})`,
        }
      : { type: 'number', description: `default ${String(value)} (${meaning})` };
  }
  return { type: 'object', additionalProperties: false, properties };
}

/** Converts rule parameters to detector options; throws naming a bad duration. */
export function optionsFromParams(
  evaluator: string,
  defaults: object,
  params: Record<string, unknown>,
): Record<string, unknown> {
  const options: Record<string, unknown> = {};
  for (const option of Object.keys(defaults)) {
    const name = paramName(option);
    const raw = params[name];
    if (raw === undefined) continue;
    if (option.endsWith('Ms') && typeof raw === 'string') {
      const ms = parseDuration(raw);
      if (ms === undefined || ms <= 0) {
        throw new Error(
          `${evaluator}: params.${name} is invalid (got ${JSON.stringify(raw)}); use ${durationExample}`,
        );
      }
      options[option] = ms;
    } else {
      options[option] = raw;
    }
  }
  return options;
}

/**
 * The functions annotation and label templates may call, with the output of their namesakes in
 * Prometheus' templates (Go `text/template` with `fmt` formatting). Numbers print as Go prints a
 * float64, so `{{ $value }}` of 1e6 is `1e+06`, as in Prometheus.
 */

export type TemplateValue = string | number;

export interface TemplateFunction {
  /** Allowed argument counts, the piped value included. */
  minArgs: number;
  maxArgs: number;
  call(args: TemplateValue[]): TemplateValue;
}

const largePrefixes = ['k', 'M', 'G', 'T', 'P', 'E', 'Z', 'Y'];
const smallPrefixes = ['m', 'u', 'n', 'p', 'f', 'a', 'z', 'y'];

export const templateFunctions: ReadonlyMap<string, TemplateFunction> = new Map([
  [
    'printf',
    { minArgs: 1, maxArgs: Infinity, call: (args) => sprintf(String(args[0]), args.slice(1)) },
  ],
  ['humanize', { minArgs: 1, maxArgs: 1, call: (args) => humanize(toNumber(args[0])) }],
  [
    'humanizePercentage',
    { minArgs: 1, maxArgs: 1, call: (args) => `${formatG(toNumber(args[0]) * 100, 4)}%` },
  ],
  [
    'humanizeDuration',
    { minArgs: 1, maxArgs: 1, call: (args) => humanizeDuration(toNumber(args[0])) },
  ],
  ['toUpper', { minArgs: 1, maxArgs: 1, call: (args) => toText(args[0]).toUpperCase() }],
  ['toLower', { minArgs: 1, maxArgs: 1, call: (args) => toText(args[0]).toLowerCase() }],
  ['title', { minArgs: 1, maxArgs: 1, call: (args) => title(toText(args[0])) }],
]);

/** Formats a value as Go's `%v`: strings as they are, numbers in shortest form. */
export function toText(value: TemplateValue | undefined): string {
  if (value === undefined) {
    return '';
  }
  return typeof value === 'number' ? formatG(value, undefined) : value;
}

/** Scales by powers of 1000 with an SI prefix, 4 significant digits: 1234567 is `1.235M`. */
export function humanize(value: number): string {
  if (value === 0 || !Number.isFinite(value)) {
    return formatG(value, 4);
  }
  const prefixes = Math.abs(value) >= 1 ? largePrefixes : smallPrefixes;
  const step = Math.abs(value) >= 1 ? 1 / 1000 : 1000;
  let prefix = '';
  let scaled = value;
  for (const candidate of prefixes) {
    const done = step < 1 ? Math.abs(scaled) < 1000 : Math.abs(scaled) >= 1;
    if (done) {
      break;
    }
    prefix = candidate;
    scaled *= step;
  }
  return `${formatG(scaled, 4)}${prefix}`;
}

/** Formats seconds as `1d 2h 3m 4s`, or `1.5s`, or `250ms` below one second. */
export function humanizeDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) {
    return formatG(seconds, 4);
  }
  if (seconds === 0) {
    return '0s';
  }
  if (Math.abs(seconds) < 1) {
    let prefix = '';
    let scaled = seconds;
    for (const candidate of smallPrefixes) {
      if (Math.abs(scaled) >= 1) {
        break;
      }
      prefix = candidate;
      scaled *= 1000;
    }
    return `${formatG(scaled, 4)}${prefix}s`;
  }

  const sign = seconds < 0 ? '-' : '';
  const whole = Math.trunc(Math.abs(seconds));
  const [days, hours, minutes, secs] = [
    Math.trunc(whole / 86_400),
    Math.trunc(whole / 3_600) % 24,
    Math.trunc(whole / 60) % 60,
    whole % 60,
  ];
  if (days !== 0) return `${sign}${days}d ${hours}h ${minutes}m ${secs}s`;
  if (hours !== 0) return `${sign}${hours}h ${minutes}m ${secs}s`;
  if (minutes !== 0) return `${sign}${minutes}m ${secs}s`;
  return `${sign}${formatG(Math.abs(seconds), 4)}s`;
}

/**
 * Formats as Go's `%g`: `precision` significant digits (shortest round-trip digits when
 * undefined), trailing zeros dropped, exponent form when the exponent is below -4 or at least
 * the precision (6 for the shortest form).
 */
export function formatG(value: number, precision: number | undefined): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  if (value === 0) return Object.is(value, -0) ? '-0' : '0';

  const digits = precision === undefined ? undefined : Math.max(precision, 1);
  const exponential =
    digits === undefined ? value.toExponential() : value.toExponential(digits - 1);
  const [mantissa = '', exponentText = '0'] = exponential.split('e');
  const exponent = Number(exponentText);
  const limit = digits ?? 6;

  if (exponent < -4 || exponent >= limit) {
    const sign = exponent < 0 ? '-' : '+';
    return `${trimZeros(mantissa)}e${sign}${String(Math.abs(exponent)).padStart(2, '0')}`;
  }
  const fixed =
    digits === undefined ? String(value) : value.toFixed(Math.max(digits - 1 - exponent, 0));
  return trimZeros(fixed);
}

/** Formats with Go's `fmt.Sprintf` verbs `%v %s %d %f %e %g %x %q %%`, flags `-+ 0`, width, precision. */
export function sprintf(format: string, args: TemplateValue[]): string {
  const verbPattern = /%([-+ 0]*)(\d+)?(?:\.(\d+))?([a-zA-Z%])/g;
  let used = 0;

  const output = format.replace(
    verbPattern,
    (_all, flags: string, width?: string, precision?: string, verb?: string) => {
      if (verb === '%') {
        return '%';
      }
      if (used >= args.length) {
        return `%!${verb ?? ''}(MISSING)`;
      }
      const arg = args[used] as TemplateValue;
      used += 1;
      const text = formatVerb(
        verb ?? 'v',
        arg,
        flags,
        precision === undefined ? undefined : Number(precision),
      );
      return pad(text, flags, width === undefined ? 0 : Number(width));
    },
  );

  const extra = args
    .slice(used)
    .map((arg) => `${typeof arg === 'number' ? 'float64' : 'string'}=${toText(arg)}`);
  return extra.length === 0 ? output : `${output}%!(EXTRA ${extra.join(', ')})`;
}

function formatVerb(
  verb: string,
  arg: TemplateValue,
  flags: string,
  precision: number | undefined,
): string {
  if (verb === 'v' || verb === 's') {
    return toText(arg);
  }
  if (verb === 'q') {
    return JSON.stringify(toText(arg));
  }
  if (typeof arg !== 'number') {
    return `%!${verb}(string=${arg})`;
  }

  const sign = flags.includes('+') && arg >= 0 ? '+' : flags.includes(' ') && arg >= 0 ? ' ' : '';
  if (!Number.isFinite(arg) && verb !== 'v') {
    return formatG(arg, undefined).replace(/^\+/, sign === '' ? '+' : sign);
  }
  switch (verb) {
    case 'd':
      return Number.isInteger(arg) ? `${sign}${arg.toFixed(0)}` : `%!d(float64=${toText(arg)})`;
    case 'f':
    case 'F':
      return `${sign}${arg.toFixed(precision ?? 6)}`;
    case 'e':
    case 'E': {
      const text = arg.toExponential(precision ?? 6).replace(/e([-+])(\d)$/, 'e$10$2');
      return `${sign}${verb === 'E' ? text.toUpperCase() : text}`;
    }
    case 'g':
    case 'G':
      return `${sign}${formatG(arg, precision)}`;
    case 'x':
    case 'X':
      return Number.isInteger(arg)
        ? `${sign}${arg.toString(16)}`
        : `%!${verb}(float64=${toText(arg)})`;
    default:
      return `%!${verb}(float64=${toText(arg)})`;
  }
}

function pad(text: string, flags: string, width: number): string {
  if (text.length >= width) {
    return text;
  }
  if (flags.includes('-')) {
    return text.padEnd(width);
  }
  if (flags.includes('0') && /^[-+ ]?\d/.test(text)) {
    const sign = /^[-+ ]/.test(text) ? text[0] : '';
    return sign + text.slice(sign.length).padStart(width - sign.length, '0');
  }
  return text.padStart(width);
}

function trimZeros(text: string): string {
  return text.includes('.') ? text.replace(/\.?0+$/, '') : text;
}

function toNumber(value: TemplateValue | undefined): number {
  if (typeof value === 'number') {
    return value;
  }
  const number = Number(value);
  if (value === undefined || value.trim() === '' || Number.isNaN(number)) {
    throw new Error(`got "${value ?? ''}", expected a number`);
  }
  return number;
}

function title(text: string): string {
  return text.replace(
    /(^|[^\p{L}\p{N}'])(\p{L})/gu,
    (_all, before: string, letter: string) => before + letter.toUpperCase(),
  );
}

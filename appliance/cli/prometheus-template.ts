/**
 * Translates a Vigil annotation or label template into a Prometheus alerting-rule template.
 * Both are Go `text/template` syntax with the same functions, so the text is kept and only the
 * variables are checked and renamed. In the exported rule, the alert's sample is the output
 * field the condition compares, so `$values.<that field>` becomes `$value`, and `$value` (the
 * `value` field) is kept only when the condition compares `value`.
 */

/** Functions of Vigil's templates that Prometheus' templates define with the same output. */
const PROMETHEUS_FUNCTIONS = new Set([
  'printf',
  'humanize',
  'humanizePercentage',
  'humanizeDuration',
  'toUpper',
  'toLower',
  'title',
]);

export type TemplateTranslation = { ok: true; text: string } | { ok: false; reason: string };

/**
 * Translates `source`, whose alert sample is the output field `field`. A template that reads
 * another output field, or calls a function Prometheus lacks, is rejected with the reason.
 */
export function translateTemplate(source: string, field: string): TemplateTranslation {
  let text = '';
  let index = 0;

  while (index < source.length) {
    const open = source.indexOf('{{', index);
    if (open === -1) {
      text += source.slice(index);
      break;
    }
    const close = source.indexOf('}}', open + 2);
    if (close === -1) return { ok: false, reason: 'unclosed action "{{"' };

    const action = translateAction(source.slice(open + 2, close), field);
    if (!action.ok) return action;
    text += source.slice(index, open) + '{{' + action.text + '}}';
    index = close + 2;
  }
  return { ok: true, text };
}

const TOKEN = /("(?:[^"\\]|\\.)*"|`[^`]*`|\||[^\s|"`]+)/g;

function translateAction(body: string, field: string): TemplateTranslation {
  let failure: string | undefined;

  const text = body.replace(TOKEN, (token) => {
    const translated = translateToken(token, field);
    if (translated.ok) return translated.text;
    failure ??= translated.reason;
    return token;
  });
  return failure === undefined ? { ok: true, text } : { ok: false, reason: failure };
}

function translateToken(token: string, field: string): TemplateTranslation {
  if (token === '$value') {
    if (field === 'value') return { ok: true, text: token };
    return {
      ok: false,
      reason: `$value is the "value" output but the exported alert's sample is "${field}"`,
    };
  }

  const variable = /^\$values\.([A-Za-z_][A-Za-z0-9_]*)$/.exec(token);
  if (variable !== null) {
    if (variable[1] === field) return { ok: true, text: '$value' };
    return {
      ok: false,
      reason: `${token} reads an output the exported expression does not return (it returns "${field}")`,
    };
  }

  if (/^[A-Za-z_]\w*$/.test(token) && !PROMETHEUS_FUNCTIONS.has(token)) {
    return { ok: false, reason: `template function "${token}" has no Prometheus equivalent` };
  }
  return { ok: true, text: token };
}

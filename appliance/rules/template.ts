import { templateFunctions, toText, type TemplateValue } from './template-functions.ts';

/**
 * Annotation and label templates in the style of Prometheus: text with `{{ ... }}` actions that
 * read `$labels.<name>`, `$value` and `$values.<field>`, string and number literals, and call
 * the functions of `template-functions.ts`, alone or through pipes:
 * `{{ $value | printf "%.2f" }}` passes the value as the last argument. `{{-` and `-}}` trim
 * the whitespace beside the action, as in Go. A template reaches only the data it is given:
 * there is no path to the process, the environment or other objects.
 */

export class TemplateError extends Error {
  override readonly name = 'TemplateError';
  readonly code = 'invalid_template';

  constructor(
    message: string,
    /** 1-based column in the source. */
    readonly column: number,
  ) {
    super(message);
  }
}

export interface TemplateData {
  labels: Record<string, string>;
  value: number;
  values: Record<string, number>;
}

export interface CompiledTemplate {
  source: string;
  /** Renders the template; a missing label is empty and a failing function renders an error text. */
  render(data: TemplateData): string;
}

type Operand = (data: TemplateData) => TemplateValue;
type Piece = (data: TemplateData) => string;

interface Token {
  text: string;
  column: number;
}

export function compileTemplate(source: string): CompiledTemplate {
  const pieces: Piece[] = [];
  let index = 0;
  let trimNext = false;

  while (index < source.length) {
    const open = source.indexOf('{{', index);
    let text = source.slice(index, open === -1 ? source.length : open);
    if (trimNext) text = text.trimStart();
    if (open === -1) {
      pieces.push(() => text);
      break;
    }

    const close = source.indexOf('}}', open + 2);
    if (close === -1) {
      throw new TemplateError('unclosed action "{{"; close it with "}}"', open + 1);
    }
    const trimBefore = source[open + 2] === '-' && /\s/.test(source[open + 3] ?? '');
    trimNext = source[close - 1] === '-' && /\s/.test(source[close - 2] ?? '');
    const literal = trimBefore ? text.trimEnd() : text;
    pieces.push(() => literal);

    const start = open + 2 + (trimBefore ? 1 : 0);
    const end = close - (trimNext ? 1 : 0);
    pieces.push(compileAction(source.slice(start, end), start + 1));
    index = close + 2;
  }

  return { source, render: (data) => pieces.map((piece) => piece(data)).join('') };
}

function compileAction(body: string, column: number): Piece {
  const tokens = tokenize(body, column);
  if (tokens.length === 0) {
    throw new TemplateError('empty action "{{ }}"; put a variable such as $value inside', column);
  }

  const commands: Token[][] = [[]];
  for (const token of tokens) {
    if (token.text === '|') {
      commands.push([]);
    } else {
      (commands[commands.length - 1] as Token[]).push(token);
    }
  }

  let pipeline: Operand | undefined;
  for (const command of commands) {
    pipeline = compileCommand(command, pipeline, column);
  }
  const run = pipeline as Operand;

  return (data) => {
    try {
      return toText(run(data));
    } catch (error) {
      return `<error expanding template: ${(error as Error).message}>`;
    }
  };
}

function compileCommand(tokens: Token[], piped: Operand | undefined, column: number): Operand {
  const [head, ...rest] = tokens;
  if (head === undefined) {
    throw new TemplateError('empty command around "|"; remove the extra "|"', column);
  }

  const fn = /^[A-Za-z_]\w*$/.test(head.text) ? templateFunctions.get(head.text) : undefined;
  if (fn === undefined) {
    if (/^[A-Za-z_]\w*$/.test(head.text)) {
      const known = [...templateFunctions.keys()].join(', ');
      throw new TemplateError(
        `unknown function "${head.text}"; known functions: ${known}`,
        head.column,
      );
    }
    if (rest.length > 0 || piped !== undefined) {
      const at = rest[0] ?? head;
      throw new TemplateError(
        `unexpected "${at.text}" after a value; a pipe passes values to a function`,
        at.column,
      );
    }
    return compileOperand(head);
  }

  const args = rest.map(compileOperand);
  if (piped !== undefined) args.push(piped);
  if (args.length < fn.minArgs || args.length > fn.maxArgs) {
    const range = fn.maxArgs === Infinity ? `at least ${fn.minArgs}` : `${fn.minArgs}`;
    throw new TemplateError(
      `${head.text} takes ${range} argument(s), got ${args.length}`,
      head.column,
    );
  }
  return (data) => fn.call(args.map((arg) => arg(data)));
}

function compileOperand(token: Token): Operand {
  const { text, column } = token;
  if (text.startsWith('"') || text.startsWith('`')) {
    const value = text.startsWith('`') ? text.slice(1, -1) : parseQuoted(token);
    return () => value;
  }
  if (/^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/.test(text)) {
    const value = Number(text);
    return () => value;
  }
  if (text === '$value') {
    return (data) => data.value;
  }

  const match = /^\$(labels|values)\.([A-Za-z_][A-Za-z0-9_]*)$/.exec(text);
  if (match === null) {
    throw new TemplateError(
      `unknown variable "${text}"; use $value, $labels.<name> or $values.<field>`,
      column,
    );
  }
  const [, map, name] = match as unknown as [string, 'labels' | 'values', string];
  if (map === 'labels') {
    return (data) => (Object.hasOwn(data.labels, name) ? (data.labels[name] as string) : '');
  }
  return (data) => (Object.hasOwn(data.values, name) ? (data.values[name] as number) : NaN);
}

function tokenize(body: string, column: number): Token[] {
  const pattern = /\s*("(?:[^"\\]|\\.)*"|`[^`]*`|\||[^\s|"`]+|["`])/y;
  const tokens: Token[] = [];
  let match: RegExpExecArray | null;
  let consumed = 0;

  while ((match = pattern.exec(body)) !== null) {
    consumed = pattern.lastIndex;
    const text = match[1] as string;
    const at = column + match.index + match[0].length - text.length;
    if (text === '"' || text === '`') {
      throw new TemplateError(`unterminated string; close it with ${text}`, at);
    }
    tokens.push({ text, column: at });
  }
  if (body.slice(consumed).trim() !== '') {
    throw new TemplateError('unexpected text in action', column + consumed);
  }
  return tokens;
}

function parseQuoted(token: Token): string {
  try {
    // Go's interpreted string literals share JSON's escapes for everything templates need.
    return JSON.parse(token.text) as string;
  } catch {
    throw new TemplateError(`invalid string ${token.text}; check its escapes`, token.column);
  }
}

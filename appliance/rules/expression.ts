/**
 * The condition language of `when`: numbers (`80`, `1e-3`, `Inf`, `NaN`), output field names,
 * `+ - * /`, comparisons `> >= < <= == !=`, `and`, `or`, `not` and parentheses. Conditions are
 * parsed into a tree and evaluated by walking it; no `eval` and no `Function`.
 *
 * NaN semantics: every comparison with a NaN operand is false, `!=` included, so
 * `errors / total > 0.05` with `total` 0 does not fire. `not` negates that false, so
 * `not (ratio > 0.05)` is true on NaN. +Inf and -Inf compare as usual. A field missing from the
 * values is NaN.
 */

export class ExpressionError extends Error {
  override readonly name = 'ExpressionError';
  readonly code = 'invalid_condition';

  constructor(
    message: string,
    /** 1-based column in the source. */
    readonly column: number,
  ) {
    super(message);
  }
}

export interface CompiledCondition {
  source: string;
  /** Field names the condition reads, in order of first use. */
  fields: string[];
  /** Evaluates on the given values; never throws. */
  evaluate(values: Readonly<Record<string, number>>): boolean;
  /**
   * Evaluates as `evaluate` does and also reports whether any comparison had a NaN operand
   * (`nan`) or an infinite one (`inf`), so a NaN policy can tell "false" from "not computable".
   */
  trace(values: Readonly<Record<string, number>>): ConditionTrace;
}

/** The result of one evaluation, with what the comparisons saw. */
export interface ConditionTrace {
  result: boolean;
  nan: boolean;
  inf: boolean;
}

type Values = Readonly<Record<string, number>>;
type NumberNode = { type: 'number'; column: number; read: (values: Values) => number };
type BooleanNode = { type: 'boolean'; column: number; test: (values: Values) => boolean };
type ExpressionNode = NumberNode | BooleanNode;

interface Token {
  kind: 'number' | 'name' | 'operator' | 'end';
  text: string;
  column: number;
}

const keywords = new Set(['and', 'or', 'not']);
const comparisons = new Set(['>', '>=', '<', '<=', '==', '!=']);

/** Compiles a condition; throws ExpressionError naming the column and what was expected. */
export function compileCondition(source: string): CompiledCondition {
  const parser = new Parser(tokenize(source));
  const node = parser.parseOr();
  parser.expectEnd();

  if (node.type !== 'boolean') {
    throw new ExpressionError(
      'condition computes a number, expected a comparison such as "value > 80"',
      node.column,
    );
  }
  const seen = parser.seen;
  const trace = (values: Values): ConditionTrace => {
    seen.nan = false;
    seen.inf = false;
    const result = node.test(values);
    return { result, nan: seen.nan, inf: seen.inf };
  };
  return { source, fields: parser.fields, evaluate: (values) => node.test(values), trace };
}

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  const pattern =
    /\s*(?:(\d+\.?\d*(?:[eE][-+]?\d+)?|\.\d+(?:[eE][-+]?\d+)?)|([A-Za-z_][A-Za-z0-9_]*)|(>=|<=|==|!=|[-+*/()<>])|(\S))/y;
  let match: RegExpExecArray | null;

  while ((match = pattern.exec(source)) !== null && match[0] !== '') {
    const text = match[1] ?? match[2] ?? match[3] ?? match[4] ?? '';
    const column = match.index + match[0].length - text.length + 1;
    if (match[4] !== undefined) {
      throw new ExpressionError(unexpectedCharacter(text), column);
    }
    let kind: Token['kind'] = 'operator';
    if (match[1] !== undefined) kind = 'number';
    if (match[2] !== undefined) kind = 'name';
    tokens.push({ kind, text, column });
  }

  tokens.push({ kind: 'end', text: '', column: source.length + 1 });
  return tokens;
}

function unexpectedCharacter(text: string): string {
  const hints: Record<string, string> = {
    '&': 'write "and"',
    '|': 'write "or"',
    '!': 'write "not" or "!="',
    '=': 'write "==" to compare',
  };
  return `unexpected "${text}"; ${hints[text] ?? 'expected a number, a field name or an operator'}`;
}

class Parser {
  readonly fields: string[] = [];
  /** Operands the comparisons saw during the current evaluation; reset by `trace`. */
  readonly seen = { nan: false, inf: false };
  private index = 0;

  constructor(private readonly tokens: Token[]) {}

  parseOr(): ExpressionNode {
    let left = this.parseAnd();
    while (this.peek().text === 'or') {
      const operator = this.next();
      const a = this.asBoolean(left, operator);
      const b = this.asBoolean(this.parseAnd(), operator);
      left = { type: 'boolean', column: left.column, test: (v) => a.test(v) || b.test(v) };
    }
    return left;
  }

  expectEnd(): void {
    const token = this.peek();
    if (token.kind !== 'end') {
      throw new ExpressionError(
        `unexpected "${token.text}", expected an operator or the end`,
        token.column,
      );
    }
  }

  private parseAnd(): ExpressionNode {
    let left = this.parseNot();
    while (this.peek().text === 'and') {
      const operator = this.next();
      const a = this.asBoolean(left, operator);
      const b = this.asBoolean(this.parseNot(), operator);
      left = { type: 'boolean', column: left.column, test: (v) => a.test(v) && b.test(v) };
    }
    return left;
  }

  private parseNot(): ExpressionNode {
    if (this.peek().text !== 'not') {
      return this.parseComparison();
    }
    const operator = this.next();
    const operand = this.asBoolean(this.parseNot(), operator);
    return { type: 'boolean', column: operator.column, test: (v) => !operand.test(v) };
  }

  private parseComparison(): ExpressionNode {
    const left = this.parseSum();
    if (!comparisons.has(this.peek().text)) {
      return left;
    }

    const operator = this.next();
    const a = this.asNumber(left, operator);
    const b = this.asNumber(this.parseSum(), operator);
    if (comparisons.has(this.peek().text)) {
      const extra = this.peek();
      throw new ExpressionError(
        `comparisons do not chain; join them with "and", as in "a < b and b < c"`,
        extra.column,
      );
    }
    const compare = comparator(operator.text);
    const seen = this.seen;
    const test = (v: Values): boolean => {
      const x = a.read(v);
      const y = b.read(v);
      if (Number.isNaN(x) || Number.isNaN(y)) seen.nan = true;
      else if (!Number.isFinite(x) || !Number.isFinite(y)) seen.inf = true;
      return compare(x, y);
    };
    return { type: 'boolean', column: left.column, test };
  }

  private parseSum(): ExpressionNode {
    let left = this.parseProduct();
    while (this.peek().text === '+' || this.peek().text === '-') {
      const operator = this.next();
      const a = this.asNumber(left, operator);
      const b = this.asNumber(this.parseProduct(), operator);
      const read =
        operator.text === '+'
          ? (v: Values) => a.read(v) + b.read(v)
          : (v: Values) => a.read(v) - b.read(v);
      left = { type: 'number', column: left.column, read };
    }
    return left;
  }

  private parseProduct(): ExpressionNode {
    let left = this.parseUnary();
    while (this.peek().text === '*' || this.peek().text === '/') {
      const operator = this.next();
      const a = this.asNumber(left, operator);
      const b = this.asNumber(this.parseUnary(), operator);
      // Division by zero follows IEEE 754: x/0 is ±Inf and 0/0 is NaN.
      const read =
        operator.text === '*'
          ? (v: Values) => a.read(v) * b.read(v)
          : (v: Values) => a.read(v) / b.read(v);
      left = { type: 'number', column: left.column, read };
    }
    return left;
  }

  private parseUnary(): ExpressionNode {
    const token = this.peek();
    if (token.text === '-' || token.text === '+') {
      this.next();
      const operand = this.asNumber(this.parseUnary(), token);
      const read = token.text === '-' ? (v: Values) => -operand.read(v) : operand.read;
      return { type: 'number', column: token.column, read };
    }
    return this.parsePrimary();
  }

  private parsePrimary(): ExpressionNode {
    const token = this.next();
    if (token.kind === 'number') {
      const number = Number(token.text);
      return { type: 'number', column: token.column, read: () => number };
    }
    if (token.text === '(') {
      const inner = this.parseOr();
      const close = this.next();
      if (close.text !== ')') {
        throw new ExpressionError(`${found(close)}, expected ")"`, close.column);
      }
      return { ...inner, column: token.column };
    }
    if (token.kind === 'name' && !keywords.has(token.text)) {
      return this.nameNode(token);
    }
    throw new ExpressionError(
      `${found(token)}, expected a number, a field name or "("`,
      token.column,
    );
  }

  private nameNode(token: Token): NumberNode {
    const lower = token.text.toLowerCase();
    if (lower === 'inf' || lower === 'nan') {
      const number = lower === 'inf' ? Infinity : NaN;
      return { type: 'number', column: token.column, read: () => number };
    }

    const field = token.text;
    if (!this.fields.includes(field)) {
      this.fields.push(field);
    }
    // A missing field reads as NaN, so a condition on it is false rather than an exception.
    const read = (values: Values) =>
      Object.hasOwn(values, field) ? (values[field] as number) : NaN;
    return { type: 'number', column: token.column, read };
  }

  private asNumber(node: ExpressionNode, operator: Token): NumberNode {
    if (node.type === 'number') {
      return node;
    }
    throw new ExpressionError(
      `"${operator.text}" needs numbers on both sides, but this side is a comparison; add parentheses or "and"/"or"`,
      node.column,
    );
  }

  private asBoolean(node: ExpressionNode, operator: Token): BooleanNode {
    if (node.type === 'boolean') {
      return node;
    }
    throw new ExpressionError(
      `"${operator.text}" needs comparisons on both sides, such as "value > 1 ${operator.text} value < 5"`,
      node.column,
    );
  }

  private peek(): Token {
    return this.tokens[this.index] as Token;
  }

  private next(): Token {
    const token = this.peek();
    if (token.kind !== 'end') {
      this.index += 1;
    }
    return token;
  }
}

function comparator(operator: string): (a: number, b: number) => boolean {
  switch (operator) {
    case '>':
      return (a, b) => a > b;
    case '>=':
      return (a, b) => a >= b;
    case '<':
      return (a, b) => a < b;
    case '<=':
      return (a, b) => a <= b;
    case '==':
      return (a, b) => a === b;
    default:
      // JavaScript's NaN !== x is true; a NaN comparison is false here, as for the others.
      return (a, b) => !Number.isNaN(a) && !Number.isNaN(b) && a !== b;
  }
}

function found(token: Token): string {
  return token.kind === 'end' ? 'the condition ends' : `unexpected "${token.text}"`;
}

import {
  Lexer,
  LineCounter,
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  parseDocument,
  visit,
  type Document,
  type Node,
  type ParsedNode,
  type Scalar,
} from 'yaml';
import type { Problem } from './config.ts';

/**
 * Parses configuration and rule files with the `yaml` package, keeping each node's position so
 * every later step can report `file:line:column`. The parse rejects what a hand-written file
 * never needs and a hostile one uses: duplicate keys, tab indentation, custom tags and alias
 * bombs.
 */

/** A key path into the parsed value, such as `['groups', 0, 'rules', 2, 'for']`. */
export type JsonPath = ReadonlyArray<string | number>;

export interface ParsedYaml {
  file: string;
  document: Document.Parsed;
  lineCounter: LineCounter;
}

export interface Position {
  line: number;
  column: number;
}

/**
 * Alias tokens allowed in one document. Composing with `yaml` 2.9 grows faster than linearly with
 * the anchors: 50,000 nested aliases took 19 s on one core of the development machine, while
 * lexing them took 0.15 s. So the count is checked on the lexer's tokens before composing.
 */
export const maxAliasTokens = 1000;

/** Expansion factor `toJS` allows per alias (the `yaml` package's `maxAliasCount`). */
export const maxAliasCount = 100;

// Tags of the YAML 1.2 core schema; any other explicit tag is a custom tag and is rejected.
const coreTags = new Set(
  ['str', 'int', 'float', 'bool', 'null', 'map', 'seq'].map((name) => `tag:yaml.org,2002:${name}`),
);

/** Parses one YAML document; `parsed` is undefined when nothing usable came out of it. */
export function parseYaml(
  text: string,
  file: string,
): { parsed: ParsedYaml | undefined; problems: Problem[] } {
  const aliases = countAliasTokens(text);
  if (aliases > maxAliasTokens) {
    const message =
      `the document has ${aliases} aliases, more than the ${maxAliasTokens} allowed; ` +
      'this is how a YAML alias bomb looks, so expand the aliases or split the file';
    return { parsed: undefined, problems: [problem(file, { line: 1, column: 1 }, '', message)] };
  }

  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, schema: 'core', uniqueKeys: false });
  const parsed: ParsedYaml = { file, document, lineCounter };
  const problems = [
    ...syntaxProblems(parsed),
    ...duplicateKeyProblems(parsed),
    ...customTagProblems(parsed),
  ];
  return { parsed, problems };
}

/** Converts the document to plain data, rejecting aliases that expand past `maxAliasCount`. */
export function toPlainValue(parsed: ParsedYaml): { value: unknown; problems: Problem[] } {
  // `toJS` would stringify a mapping or sequence key and print a process warning, so such a
  // document gets a problem and no value instead.
  const keyProblems = collectionKeyProblems(parsed);
  if (keyProblems.length > 0) {
    return { value: undefined, problems: keyProblems };
  }

  try {
    return { value: parsed.document.toJS({ maxAliasCount }), problems: [] };
  } catch (error) {
    const message =
      `aliases expand to too many nodes (${(error as Error).message}); ` +
      'a YAML alias bomb looks like this, so expand the aliases or split the file';
    return {
      value: undefined,
      problems: [problem(parsed.file, { line: 1, column: 1 }, '', message)],
    };
  }
}

/** Formats a path as `groups[0].rules[2].for`. */
export function formatPath(path: JsonPath): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') {
      text += `[${segment}]`;
    } else {
      text += text === '' ? segment : `.${segment}`;
    }
  }
  return text;
}

/**
 * Finds where a path is written: the value's node, or its key's with `onKey`. A path that goes
 * past the document, such as a missing key, resolves to the deepest node that exists.
 */
export function locate(parsed: ParsedYaml, path: JsonPath, onKey = false): Position {
  let node: Node | null = parsed.document.contents;
  let keyNode: Node | null = null;

  for (const segment of path) {
    const current = resolveAlias(parsed, node);
    const next = childOf(current, segment);
    if (next === undefined) {
      break;
    }
    node = next.value;
    keyNode = next.key;
  }

  const target = onKey && keyNode !== null ? keyNode : (node ?? keyNode);
  return positionOf(parsed, target);
}

/**
 * Finds a 1-based column inside a single-line scalar, so an error in a `when` condition or a
 * template points at the character. Other scalars resolve to their first character.
 */
export function locateInScalar(parsed: ParsedYaml, path: JsonPath, column: number): Position {
  const start = locate(parsed, path);
  const node = nodeAt(parsed, path);
  if (!isScalar(node) || !isSingleLine(parsed, node)) {
    return start;
  }

  const quoted = node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE' ? 1 : 0;
  return { line: start.line, column: start.column + quoted + column - 1 };
}

/** Computes the key path of a node from the ancestors a `visit` callback receives. */
export function pathOfNode(ancestors: readonly unknown[], node: unknown): JsonPath {
  const path: Array<string | number> = [];
  ancestors.forEach((ancestor, index) => {
    const child = ancestors[index + 1] ?? node;
    if (isPair(ancestor)) {
      path.push(isScalar(ancestor.key) ? String(ancestor.key.value) : String(ancestor.key));
    } else if (isSeq(ancestor)) {
      path.push(ancestor.items.indexOf(child));
    }
  });
  return path;
}

/** Builds a problem at a path of the document. */
export function problemAt(
  parsed: ParsedYaml,
  path: JsonPath,
  message: string,
  severity: Problem['severity'] = 'error',
  onKey = false,
): Problem {
  return {
    ...problem(parsed.file, locate(parsed, path, onKey), formatPath(path), message),
    severity,
  };
}

/** Builds a problem at a known position. */
export function problem(file: string, at: Position, path: string, message: string): Problem {
  return { file, line: at.line, column: at.column, path, message, severity: 'error' };
}

/** Returns the node a path names, or undefined. */
export function nodeAt(parsed: ParsedYaml, path: JsonPath): Node | null | undefined {
  let node: Node | null = parsed.document.contents;
  for (const segment of path) {
    const next = childOf(resolveAlias(parsed, node), segment);
    if (next === undefined) {
      return undefined;
    }
    node = next.value;
  }
  return resolveAlias(parsed, node);
}

function countAliasTokens(text: string): number {
  let count = 0;
  for (const token of new Lexer().lex(text)) {
    if (token.startsWith('*')) {
      count += 1;
    }
  }
  return count;
}

function syntaxProblems(parsed: ParsedYaml): Problem[] {
  const problems: Problem[] = [];
  for (const error of parsed.document.errors) {
    const at = positionAtOffset(parsed, error.pos[0]);
    problems.push(problem(parsed.file, at, '', syntaxMessage(error.code, error.message)));
  }
  for (const warning of parsed.document.warnings) {
    if (warning.code === 'TAG_RESOLVE_FAILED') {
      continue; // reported as a custom tag, with its path
    }
    const at = positionAtOffset(parsed, warning.pos[0]);
    problems.push({ ...problem(parsed.file, at, '', warning.message), severity: 'warning' });
  }
  return problems;
}

function syntaxMessage(code: string, message: string): string {
  if (code === 'TAB_AS_INDENT') {
    return 'tab used for indentation; YAML indents with spaces, so replace the tab with spaces';
  }
  if (code === 'MULTIPLE_DOCS') {
    return 'the file holds more than one YAML document; keep one, without a second `---`';
  }
  return `invalid YAML: ${message.split('\n')[0] ?? message}`;
}

function duplicateKeyProblems(parsed: ParsedYaml): Problem[] {
  const problems: Problem[] = [];
  visit(parsed.document, {
    Map(_key, map, ancestors) {
      const mapPath = pathOfNode(ancestors, map);
      const seen = new Map<string, Position>();
      for (const pair of map.items) {
        const name = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
        const at = positionOf(parsed, pair.key as Node | null);
        const first = seen.get(name);
        if (first === undefined) {
          seen.set(name, at);
          continue;
        }
        const message = `duplicate key "${name}", first set at line ${first.line}; remove one of them`;
        problems.push(problem(parsed.file, at, formatPath([...mapPath, name]), message));
      }
    },
  });
  return problems;
}

function customTagProblems(parsed: ParsedYaml): Problem[] {
  const problems: Problem[] = [];
  visit(parsed.document, {
    Node(_key, node, ancestors) {
      if (node.tag === undefined || coreTags.has(node.tag)) {
        return;
      }
      const message = `custom tag ${node.tag} is not supported; remove the tag`;
      const path = formatPath(pathOfNode(ancestors, node));
      problems.push(problem(parsed.file, positionOf(parsed, node), path, message));
    },
  });
  return problems;
}

function collectionKeyProblems(parsed: ParsedYaml): Problem[] {
  const problems: Problem[] = [];
  visit(parsed.document, {
    Pair(_key, pair, ancestors) {
      if (!isMap(pair.key) && !isSeq(pair.key)) {
        return;
      }
      const message = 'a mapping key is a mapping or a sequence; use a plain string key';
      const path = formatPath(pathOfNode(ancestors, pair));
      problems.push(problem(parsed.file, positionOf(parsed, pair.key), path, message));
    },
  });
  return problems;
}

function childOf(
  node: Node | null,
  segment: string | number,
): { key: Node | null; value: Node | null } | undefined {
  if (isMap(node)) {
    const pair = node.items.find(
      (item) => isScalar(item.key) && String(item.key.value) === String(segment),
    );
    if (pair === undefined) {
      return undefined;
    }
    return { key: pair.key as Node | null, value: pair.value as Node | null };
  }
  if (isSeq(node) && typeof segment === 'number') {
    const item = node.items[segment];
    return item === undefined ? undefined : { key: null, value: item as Node | null };
  }
  return undefined;
}

function resolveAlias(parsed: ParsedYaml, node: Node | null): Node | null {
  if (isAlias(node)) {
    return (node.resolve(parsed.document) as Node | undefined) ?? null;
  }
  return node;
}

function positionOf(parsed: ParsedYaml, node: Node | null): Position {
  const range = (node as ParsedNode | null)?.range;
  return range === undefined ? { line: 1, column: 1 } : positionAtOffset(parsed, range[0]);
}

function positionAtOffset(parsed: ParsedYaml, offset: number): Position {
  const { line, col } = parsed.lineCounter.linePos(offset);
  return { line, column: col };
}

function isSingleLine(parsed: ParsedYaml, node: Scalar): boolean {
  const range = (node as ParsedNode).range;
  if (range === undefined || node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED') {
    return false;
  }
  return parsed.lineCounter.linePos(range[0]).line === parsed.lineCounter.linePos(range[1]).line;
}

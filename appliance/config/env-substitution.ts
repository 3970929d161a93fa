import { visit } from 'yaml';
import type { Problem } from './config.ts';
import { formatPath, pathOfNode, problem, locate, type ParsedYaml } from './yaml-document.ts';

/**
 * Substitutes `${NAME}` and `${NAME:-default}` in the scalar values of a parsed document, in
 * place, before schema validation. As in the shell, the default applies when the variable is
 * unset or empty; `$$` writes a literal `$`. Keys are never substituted. An unquoted value that
 * becomes a number or `true`/`false` after substitution is read as one, so `port: ${PORT}`
 * validates as an integer. A quoted value stays a string.
 * NOTE: inside a flow mapping (`{ port: ${PORT} }`) YAML reads the braces as a nested mapping, so
 * write such values in block style or quote them.
 */

const namePattern = /^[A-Za-z_][A-Za-z0-9_]*$/;
const numberPattern = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/;

type Substitution = { text: string; problems: string[] };

export function substituteEnv(parsed: ParsedYaml, env: NodeJS.ProcessEnv): Problem[] {
  const problems: Problem[] = [];

  visit(parsed.document, {
    Scalar(key, node, ancestors) {
      if (key === 'key' || typeof node.value !== 'string' || !node.value.includes('$')) {
        return;
      }

      const result = substituteText(node.value, env);
      const path = pathOfNode(ancestors, node);
      for (const message of result.problems) {
        problems.push(problem(parsed.file, locate(parsed, path), formatPath(path), message));
      }
      node.value = node.type === 'PLAIN' ? readPlain(result.text) : result.text;
    },
  });

  return problems;
}

/** Substitutes the references in one string; exported for tests and non-YAML callers. */
export function substituteText(text: string, env: NodeJS.ProcessEnv): Substitution {
  const problems: string[] = [];
  let output = '';
  let index = 0;

  while (index < text.length) {
    const dollar = text.indexOf('$', index);
    if (dollar === -1) {
      output += text.slice(index);
      break;
    }
    output += text.slice(index, dollar);

    const next = text[dollar + 1];
    if (next === '$') {
      output += '$';
      index = dollar + 2;
      continue;
    }
    if (next !== '{') {
      output += '$';
      index = dollar + 1;
      continue;
    }

    const close = text.indexOf('}', dollar + 2);
    if (close === -1) {
      problems.push(`unterminated "\${" in "${text}"; close it with "}" or write "$$" for a "$"`);
      output += text.slice(dollar);
      break;
    }
    output += resolveReference(text.slice(dollar + 2, close), env, problems);
    index = close + 1;
  }

  return { text: output, problems };
}

function resolveReference(reference: string, env: NodeJS.ProcessEnv, problems: string[]): string {
  const separator = reference.indexOf(':-');
  const name = separator === -1 ? reference : reference.slice(0, separator);
  const fallback = separator === -1 ? undefined : reference.slice(separator + 2);

  if (!namePattern.test(name)) {
    problems.push(
      `invalid variable name "${name}" in "\${${reference}}"; ` +
        'use letters, digits and underscores, not starting with a digit',
    );
    return '';
  }

  const value = Object.hasOwn(env, name) ? env[name] : undefined;
  if (value !== undefined && value !== '') {
    return value;
  }
  if (fallback !== undefined) {
    return fallback;
  }
  problems.push(
    `environment variable ${name} is not set; set it, or give a default as "\${${name}:-value}"`,
  );
  return '';
}

function readPlain(text: string): string | number | boolean {
  if (numberPattern.test(text)) {
    return Number(text);
  }
  if (text === 'true' || text === 'false') {
    return text === 'true';
  }
  return text;
}

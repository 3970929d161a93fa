import { readFileSync, statSync } from 'node:fs';
import type { Problem } from './config.ts';
import { substituteEnv } from './env-substitution.ts';
import { parseYaml, problem, toPlainValue, type ParsedYaml } from './yaml-document.ts';

/**
 * The one pipeline configuration and rule files go through: read, parse YAML keeping positions,
 * substitute `${ENV}`, convert to plain data. Schema validation follows in the caller, which
 * knows the schema. Every step reports its problems and the pipeline stops only when a later
 * step has nothing to work on.
 */

/** Largest file read, 16 MiB; hand-written configuration and rule files are far smaller. */
export const maxFileBytes = 16 * 1024 * 1024;

export interface YamlFile {
  parsed: ParsedYaml;
  /** Plain data; undefined when parsing or alias expansion failed. */
  value: unknown;
}

export function readYamlFile(
  file: string,
  env: NodeJS.ProcessEnv | undefined,
): { yaml: YamlFile | undefined; problems: Problem[] } {
  const read = readText(file);
  if (read.text === undefined) {
    return { yaml: undefined, problems: [read.problem] };
  }
  return parseYamlText(read.text, file, env);
}

/** Runs the pipeline on text already in memory; `env` undefined leaves `${...}` as written. */
export function parseYamlText(
  text: string,
  file: string,
  env: NodeJS.ProcessEnv | undefined,
): { yaml: YamlFile | undefined; problems: Problem[] } {
  const { parsed, problems } = parseYaml(text, file);
  if (parsed === undefined) {
    return { yaml: undefined, problems };
  }

  if (env !== undefined) {
    problems.push(...substituteEnv(parsed, env));
  }

  const plain = toPlainValue(parsed);
  problems.push(...plain.problems);
  return { yaml: { parsed, value: plain.value }, problems };
}

function readText(
  file: string,
): { text: string; problem?: never } | { text: undefined; problem: Problem } {
  const at = { line: 1, column: 1 };
  try {
    const size = statSync(file).size;
    if (size > maxFileBytes) {
      const message = `file is ${size} bytes, more than the ${maxFileBytes} allowed; split it`;
      return { text: undefined, problem: problem(file, at, '', message) };
    }
    return { text: readFileSync(file, 'utf8') };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const message =
      code === 'ENOENT'
        ? 'file not found; check the path'
        : `cannot read the file (${(error as Error).message})`;
    return { text: undefined, problem: problem(file, at, '', message) };
  }
}

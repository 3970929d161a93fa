import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';

import { renderEvaluatorReference } from '../evaluators/reference-doc.ts';
import { evaluators } from '../evaluators/registry.ts';

// Writes docs/evaluators.md from the evaluator registry.
const target = resolve(import.meta.dirname, '..', '..', 'docs', 'evaluators.md');
writeFileSync(target, renderEvaluatorReference(evaluators));
process.stdout.write(`wrote ${target} (${evaluators.size} evaluators)\n`);

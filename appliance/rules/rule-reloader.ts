import { statSync } from 'node:fs';
import type { Problem } from '../config/config.ts';
import type { EvaluatorFactory } from '../evaluators/evaluator.ts';
import type { Logger } from '../log/logger.ts';
import type { ReloadSummary, RuleEngine } from './engine.ts';
import { expandPaths, loadRules } from './load-rules.ts';

/** How often the reloader looks for changed rule files, ms. */
export const DEFAULT_POLL_MS = 5_000;

export type ReloadResult =
  { ok: true; summary: ReloadSummary; warnings: Problem[] } | { ok: false; problems: Problem[] };

/**
 * Reloads the rule files into a running engine, all or nothing: a file with any error keeps
 * the old rule set running, and the problems are logged and returned. Reloads are triggered by
 * the caller (SIGHUP, `POST /-/reload`) or by `start()`, which polls the files' modification
 * times and sizes every `pollMs` and reloads when they change. Reloads run one at a time.
 */
export class RuleReloader {
  readonly #paths: string[];
  readonly #engine: RuleEngine;
  readonly #evaluators: ReadonlyMap<string, EvaluatorFactory>;
  readonly #env: NodeJS.ProcessEnv;
  readonly #logger: Logger;
  readonly #pollMs: number;
  #signature: string;
  #timer: NodeJS.Timeout | undefined;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(options: {
    paths: string[];
    engine: RuleEngine;
    evaluators: ReadonlyMap<string, EvaluatorFactory>;
    logger: Logger;
    env?: NodeJS.ProcessEnv;
    pollMs?: number;
  }) {
    this.#paths = options.paths;
    this.#engine = options.engine;
    this.#evaluators = options.evaluators;
    this.#env = options.env ?? {};
    this.#logger = options.logger;
    this.#pollMs = options.pollMs ?? DEFAULT_POLL_MS;
    if (!(this.#pollMs > 0)) {
      throw new RangeError(`invalid pollMs ${this.#pollMs}: expected a positive number of ms`);
    }
    this.#signature = this.signature();
  }

  /** Loads the files and, when none has an error, replaces the engine's rule set. */
  reload(trigger: string): Promise<ReloadResult> {
    const run = this.#queue.then(() => this.#reloadNow(trigger));
    this.#queue = run.catch(() => undefined);
    return run;
  }

  /** Starts polling the files for changes. */
  start(): void {
    if (this.#timer !== undefined) return;
    this.#timer = setInterval(() => void this.#poll(), this.#pollMs);
    this.#timer.unref();
  }

  stop(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /** Names, modification times and sizes of the rule files, as one comparable text. */
  signature(): string {
    const { files } = expandPaths(this.#paths);
    return files
      .map((file) => {
        try {
          const stat = statSync(file);
          return `${file}:${stat.mtimeMs}:${stat.size}`;
        } catch {
          return `${file}:missing`;
        }
      })
      .join('\n');
  }

  async #poll(): Promise<void> {
    const signature = this.signature();
    if (signature === this.#signature) return;
    this.#signature = signature;
    await this.reload('file change');
  }

  async #reloadNow(trigger: string): Promise<ReloadResult> {
    this.#signature = this.signature();
    const { ruleSet, problems } = loadRules(this.#paths, {
      evaluators: this.#evaluators,
      env: this.#env,
    });
    const errors = problems.filter((problem) => problem.severity === 'error');
    if (errors.length > 0) {
      this.#logger.error(
        { trigger, problems: errors.length, first: errors[0] },
        'rule reload rejected; the previous rules keep running',
      );
      return { ok: false, problems: errors };
    }

    try {
      const summary = await this.#engine.reload(ruleSet);
      this.#logger.info({ trigger, ...summary }, 'rules reloaded');
      return { ok: true, summary, warnings: problems };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.#logger.error(
        { trigger, err: error },
        'rule reload failed; the previous rules keep running',
      );
      const at = { file: this.#paths.join(', '), line: 1, column: 1, path: '' };
      return { ok: false, problems: [{ ...at, message, severity: 'error' }] };
    }
  }
}

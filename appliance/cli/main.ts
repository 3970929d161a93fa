import { parseArgs } from 'node:util';

import { RuleLoadError, startAppliance, type Appliance } from '../app.ts';
import { formatProblem } from '../config/config.ts';
import { loadConfig } from '../config/load-config.ts';
import { evaluators } from '../evaluators/registry.ts';
import { createLogger } from '../log/logger.ts';
import { REPORT_DRIFT_HELP, runReportDrift } from './report-drift.ts';
import { runRulesCheck } from './rules-check.ts';
import { runRulesTest } from './rules-test.ts';
import { runRulesExport } from './rules-export.ts';

/** Exit codes scripts can rely on. */
const EXIT = { ok: 0, invalid: 1, usage: 2 } as const;

const HELP = `Usage: vigil <command> [options]

Commands:
  serve [--config FILE]      run the appliance (HTTP API, rule engine, /metrics)
  rules check [--lint-fatal] PATH...
                             validate rule files; exit 0 when valid, 1 with file:line:column
                             errors, 3 with --lint-fatal when only warnings (lints) remain
  rules export --prometheus [--output FILE] PATH...
                             write Prometheus alerting rules for threshold rules; others are
                             skipped with the reason on stderr
  rules test FILE...         run unit tests of rules; exit 0 when all pass, 1 with a
                             file:line diff per failed assertion ("vigil rules test --help")
  report drift --reference A.csv --current B.csv [options]
                             compare two CSV files for drift; exit 0 no drift, 1 drift,
                             2 usage error, 3 invalid input ("vigil report drift --help")
  help                       print this text

The configuration file is --config, else $VIGIL_CONFIG, else built-in defaults
(embedded store in ./data, HTTP on 127.0.0.1:9680, rules from ./rules).
`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'serve':
      return serve(rest);
    case 'rules':
      return rules(rest);
    case 'report':
      return report(rest);
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(HELP);
      return EXIT.ok;
    default:
      process.stderr.write(`unknown command "${command}"; run "vigil help" for the list\n`);
      return EXIT.usage;
  }
}

function report(argv: string[]): number {
  const [subcommand, ...options] = argv;
  if (subcommand !== 'drift') {
    process.stderr.write(`unknown subcommand "report ${subcommand ?? ''}"\n${REPORT_DRIFT_HELP}`);
    return EXIT.usage;
  }
  return runReportDrift(options, {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
  });
}

function rules(argv: string[]): number | Promise<number> {
  const [subcommand, ...args] = argv;
  if (subcommand === 'test') {
    return runRulesTest(args, {
      stdout: (text) => process.stdout.write(text),
      stderr: (text) => process.stderr.write(text),
      evaluators,
      env: process.env,
    });
  }
  if (subcommand === 'export') {
    return runRulesExport(args, {
      stdout: (text) => process.stdout.write(text),
      stderr: (text) => process.stderr.write(text),
      evaluators,
      env: process.env,
    });
  }
  const lintFatal = args.includes('--lint-fatal');
  const paths = args.filter((arg) => arg !== '--lint-fatal');
  if (subcommand !== 'check') {
    process.stderr.write(
      `unknown subcommand "rules ${subcommand ?? ''}"; expected "rules check" or "rules export"\n`,
    );
    return EXIT.usage;
  }
  if (paths.length === 0) {
    process.stderr.write('rules check: missing PATH; give rule files or directories\n');
    return EXIT.usage;
  }
  return runRulesCheck(paths, {
    lintFatal,
    stdout: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
    stderr: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
    evaluators,
    env: process.env,
  });
}

async function serve(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { config: { type: 'string' } } });
  const { config, problems } = loadConfig({
    path: values.config,
    env: process.env,
    cwd: process.cwd(),
  });
  for (const problem of problems) process.stderr.write(`${formatProblem(problem)}\n`);
  if (problems.some((problem) => problem.severity === 'error')) return EXIT.invalid;

  const logger = createLogger({ level: config.log.level });
  let appliance;
  try {
    appliance = await startAppliance(config, { logger, env: process.env });
  } catch (error) {
    if (error instanceof RuleLoadError) {
      for (const problem of error.problems) process.stderr.write(`${formatProblem(problem)}\n`);
      return EXIT.invalid;
    }
    throw error;
  }

  const running = appliance;
  const onHangup = () => void reloadOnSignal(running);
  process.on('SIGHUP', onHangup);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  process.off('SIGHUP', onHangup);
  await appliance.close();
  return EXIT.ok;
}

/** Reloads the rules on SIGHUP; a rejected reload prints its problems and keeps the old rules. */
async function reloadOnSignal(appliance: { reload: Appliance['reload'] }): Promise<void> {
  const result = await appliance.reload('SIGHUP');
  if (result.ok) return;
  for (const problem of result.problems) process.stderr.write(`${formatProblem(problem)}\n`);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(
      `vigil: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(EXIT.invalid);
  },
);

import type { Router } from 'express';
import { formatProblem } from '../../config/config.ts';
import type { RuleEngine } from '../../rules/engine.ts';
import type { GroupRunner } from '../../rules/group-runner.ts';
import type { RuleReloader } from '../../rules/rule-reloader.ts';
import type { AlertInstance } from '../../alerting/state-machine.ts';
import { HttpError } from '../http-error.ts';

/**
 * `GET /api/v1/rules`: groups and rules with health and their alert instances.
 * `GET /api/v1/alerts`: pending and firing instances of every rule.
 * `POST /-/reload`: reloads the rule files; 200 with a summary, 400 with every problem when a
 * file is invalid (the previous rules keep running). Field names follow Prometheus' HTTP API
 * where it has one (`health`, `lastError`, `activeAt`, `evaluationTime`).
 */
export function addRulesRoutes(
  router: Router,
  options: { engine: RuleEngine; reloader?: RuleReloader },
): void {
  const { engine, reloader } = options;

  router.get('/api/v1/rules', (_request, response) => {
    response.json({ status: 'success', data: { groups: engine.groups().map(describeGroup) } });
  });

  router.get('/api/v1/alerts', (_request, response) => {
    const alerts = engine
      .alertStates()
      .filter((instance) => instance.state !== 'inactive')
      .map(describeAlert);
    response.json({ status: 'success', data: { alerts } });
  });

  router.post('/-/reload', async (_request, response) => {
    if (reloader === undefined) {
      throw new HttpError(404, 'not_found', 'rule reload is not enabled in this appliance');
    }
    const result = await reloader.reload('http');
    if (!result.ok) {
      throw new HttpError(
        400,
        'invalid_rules',
        `rule files are invalid (${result.problems.length} problems); the previous rules keep running`,
        { problems: result.problems.map(formatProblem) },
      );
    }
    response.json({ status: 'success', data: result.summary });
  });
}

function describeGroup(group: GroupRunner): Record<string, unknown> {
  const rules = group.runners().map((runner) => {
    const health = runner.health();
    const rule = runner.rule;
    const alerts = runner.alerting?.states().map(describeAlert) ?? [];
    return {
      name: rule.name,
      type: rule.kind === 'alert' ? 'alerting' : 'recording',
      evaluator: rule.evaluator,
      ...(rule.kind === 'alert' ? { when: rule.when, duration: rule.forMs / 1000 } : {}),
      labels: rule.labels,
      health: health.health,
      lastError: health.lastError,
      lastEvaluation: health.lastEvaluation > 0 ? isoTime(health.lastEvaluation) : null,
      evaluationTime: health.evaluationSeconds,
      alerts,
    };
  });
  return {
    name: group.group.name,
    file: group.group.file,
    interval: group.group.intervalMs / 1000,
    limit: group.group.limit ?? 0,
    rules,
  };
}

function describeAlert(instance: AlertInstance): Record<string, unknown> {
  return {
    labels: instance.labels,
    annotations: instance.annotations,
    state: instance.resolvedAt > 0 ? 'resolved' : instance.state,
    activeAt: isoTime(instance.activeAt),
    firedAt: instance.firedAt > 0 ? isoTime(instance.firedAt) : null,
    // JSON has no NaN or Inf; Prometheus sends the value as text for the same reason.
    value: String(instance.value),
    cause: instance.cause ?? 'value',
    keepFiringSince:
      (instance.keepFiringSince ?? 0) > 0 ? isoTime(instance.keepFiringSince ?? 0) : null,
  };
}

function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}

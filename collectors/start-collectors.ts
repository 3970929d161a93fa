import type { Collector, CollectorContext } from './collector.ts';
import type { CollectorSpec } from './collectors-config.ts';
import { FileCollector } from './file-collector.ts';
import { FileReplay } from './file-replay.ts';
import { HostCollector } from './host-collector.ts';
import { HttpPollCollector } from './http-poll-collector.ts';
import { KafkaCollector } from './kafka-collector.ts';
import { PrometheusCollector } from './prometheus-collector.ts';

/** The running collectors, and one `stop()` that stops them all. */
export interface RunningCollectors {
  collectors: Collector[];
  stop(): Promise<void>;
}

/** Creates one collector per spec and starts them; a collector that fails to start stops the rest. */
export async function startCollectors(
  specs: readonly CollectorSpec[],
  context: CollectorContext,
): Promise<RunningCollectors> {
  const collectors = specs.map((spec) => createCollector(spec, context));
  const started: Collector[] = [];
  try {
    for (const collector of collectors) {
      await collector.start();
      started.push(collector);
    }
  } catch (error) {
    await Promise.all(started.map((collector) => collector.stop()));
    throw error;
  }
  return {
    collectors,
    stop: async () => {
      await Promise.all(collectors.map((collector) => collector.stop()));
    },
  };
}

export function createCollector(spec: CollectorSpec, context: CollectorContext): Collector {
  switch (spec.kind) {
    case 'file':
      return new FileCollector(spec, context);
    case 'replay':
      return new FileReplay(spec, context);
    case 'prometheus':
      return new PrometheusCollector(spec, context);
    case 'http_poll':
      return new HttpPollCollector(spec, context);
    case 'host':
      return new HostCollector(spec, context);
    case 'kafka':
      return new KafkaCollector(spec, context);
  }
}

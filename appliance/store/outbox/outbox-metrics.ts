import { Gauge, type Registry } from 'prom-client';

/** Reads the current depth and oldest entry time of one target, for the gauges' collect. */
export interface OutboxGaugeSource {
  targets(): string[];
  depthBytes(target: string): number;
  /** Creation time of the oldest entry, epoch ms, or undefined when the target is empty. */
  oldestCreatedMs(target: string): number | undefined;
  now(): number;
}

/** Registers `vigil_outbox_depth_bytes` and `vigil_outbox_oldest_age_seconds`, per target. */
export function registerOutboxGauges(source: OutboxGaugeSource, registry?: Registry): void {
  const registers = registry ? [registry] : [];
  new Gauge({
    name: 'vigil_outbox_depth_bytes',
    help: 'Bytes of payload waiting in the outbox for a remote store, by target.',
    labelNames: ['target'],
    registers,
    collect() {
      for (const target of source.targets()) this.set({ target }, source.depthBytes(target));
    },
  });
  new Gauge({
    name: 'vigil_outbox_oldest_age_seconds',
    help: 'Age of the oldest entry waiting in the outbox, by target; 0 when it is empty.',
    labelNames: ['target'],
    registers,
    collect() {
      for (const target of source.targets()) {
        const oldest = source.oldestCreatedMs(target);
        const age = oldest === undefined ? 0 : (source.now() - oldest) / 1000;
        this.set({ target }, Math.max(0, age));
      }
    },
  });
}

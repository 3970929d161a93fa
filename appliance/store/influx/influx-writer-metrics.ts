import { Counter, Gauge, type Registry } from 'prom-client';

/** Counters of the InfluxDB writer, registered on the appliance registry when one is given. */
export interface InfluxWriterMetrics {
  written: Counter<never>;
  rejected: Counter<'reason'>;
  fixed: Counter<'reason'>;
  dropped: Counter<'reason'>;
  retries: Counter<never>;
  buffered: Gauge<never>;
}

export function createInfluxWriterMetrics(registry?: Registry): InfluxWriterMetrics {
  const registers = registry ? [registry] : [];
  return {
    written: new Counter({
      name: 'vigil_influx_points_written_total',
      help: 'Points InfluxDB acknowledged.',
      registers,
    }),
    rejected: new Counter({
      name: 'vigil_influx_points_rejected_total',
      help: 'Points Vigil rejected before sending, by reason (NaN only, trailing backslash, ...).',
      labelNames: ['reason'],
      registers,
    }),
    fixed: new Counter({
      name: 'vigil_influx_points_fixed_total',
      help: 'Changes made to points that were still sent, by reason (newline stripped, ...).',
      labelNames: ['reason'],
      registers,
    }),
    dropped: new Counter({
      name: 'vigil_influx_points_dropped_total',
      help: 'Points InfluxDB rejected with a 4xx, by reason; logged one by one.',
      labelNames: ['reason'],
      registers,
    }),
    retries: new Counter({
      name: 'vigil_influx_write_retries_total',
      help: 'Batch sends retried after a 5xx, a timeout or a refused connection.',
      registers,
    }),
    buffered: new Gauge({
      name: 'vigil_influx_points_buffered',
      help: 'Points accepted by the writer and not yet acknowledged by InfluxDB.',
      registers,
    }),
  };
}

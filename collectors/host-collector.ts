import { readFileSync, statfsSync } from 'node:fs';
import { hostname } from 'node:os';

import { submitOrThrow, type CollectorContext } from './collector.ts';
import { parseMeminfo, parseNetDev, parseProcStat, type CpuTimes } from './host-readers.ts';
import { PollingCollector } from './polling-collector.ts';
import { increase, type WirePoint } from './prometheus-derive.ts';

export interface HostCollectorOptions {
  name: string;
  intervalMs: number;
  /** Mount points whose size and free space are reported. */
  paths: string[];
  /** Root of the proc filesystem; tests point it at a fixture folder. */
  procRoot?: string;
}

interface Previous {
  timeMs: number;
  cpu: CpuTimes | null;
  processCpuMicros: number;
  network: Map<string, { receiveBytes: number; transmitBytes: number }>;
}

/**
 * Reads CPU, memory, disk and network of the host from `/proc` and statfs, and Vigil's own
 * process from Node.js, as points labelled `instance` (the host name). CPU and network figures
 * are rates over the time since the previous read, so the first read reports none of them.
 * A source that cannot be read (such as `/proc` outside Linux) is left out and logged once.
 */
export class HostCollector extends PollingCollector {
  readonly kind = 'host';
  private previous: Previous | undefined;
  private readonly warned = new Set<string>();

  constructor(
    private readonly options: HostCollectorOptions,
    private readonly context: CollectorContext,
  ) {
    super(options, context);
  }

  protected step(): Promise<void> {
    return this.collect();
  }

  protected override startDetails(): Record<string, unknown> {
    return { paths: this.options.paths };
  }

  /** Reads every source once and commits the points. */
  async collect(): Promise<void> {
    const now = (this.context.now ?? Date.now)();
    const labels = { instance: hostname() };
    const points: WirePoint[] = [];
    const add = (name: string, value: number, extra: Record<string, string> = {}) => {
      if (Number.isFinite(value))
        points.push({ name, labels: { ...labels, ...extra }, value, timestamp: now });
    };
    const before = this.previous;
    const seconds = before === undefined ? 0 : (now - before.timeMs) / 1000;

    const cpu = this.read('stat', (text) => parseProcStat(text));
    if (cpu !== null && before?.cpu != null && cpu.total > before.cpu.total) {
      add(
        'host_cpu_utilization_ratio',
        (cpu.busy - before.cpu.busy) / (cpu.total - before.cpu.total),
      );
    }
    const memory = this.read('meminfo', (text) => parseMeminfo(text));
    if (memory !== null) {
      add('host_memory_total_bytes', memory.totalBytes);
      add('host_memory_available_bytes', memory.availableBytes);
    }
    for (const path of this.options.paths) this.addFilesystem(path, add);
    const network = new Map<string, { receiveBytes: number; transmitBytes: number }>();
    for (const device of this.read('net/dev', (text) => parseNetDev(text)) ?? []) {
      network.set(device.device, device);
      const old = before?.network.get(device.device);
      if (old === undefined || seconds <= 0) continue;
      add(
        'host_network_receive_bytes_per_second',
        increase(old.receiveBytes, device.receiveBytes) / seconds,
        { device: device.device },
      );
      add(
        'host_network_transmit_bytes_per_second',
        increase(old.transmitBytes, device.transmitBytes) / seconds,
        { device: device.device },
      );
    }

    const usage = process.cpuUsage();
    const processCpuMicros = usage.user + usage.system;
    if (before !== undefined && seconds > 0) {
      add(
        'process_cpu_utilization_ratio',
        (processCpuMicros - before.processCpuMicros) / 1e6 / seconds,
      );
    }
    add('process_resident_memory_bytes', process.memoryUsage.rss());

    this.previous = { timeMs: now, cpu, processCpuMicros, network };
    this.context.metrics.received.inc({ collector: this.name }, points.length);
    await submitOrThrow(this.context.ingest, 'points', points);
  }

  private addFilesystem(
    path: string,
    add: (name: string, value: number, extra: Record<string, string>) => void,
  ): void {
    try {
      const stats = statfsSync(path);
      add('host_filesystem_size_bytes', stats.blocks * stats.bsize, { path });
      // bavail, not bfree: the space an unprivileged process such as Vigil can still write.
      add('host_filesystem_free_bytes', stats.bavail * stats.bsize, { path });
    } catch (error) {
      this.warnOnce(`statfs:${path}`, error);
    }
  }

  private read<T>(file: string, parse: (text: string) => T): T | null {
    try {
      return parse(readFileSync(`${this.options.procRoot ?? '/proc'}/${file}`, 'utf8'));
    } catch (error) {
      this.warnOnce(file, error);
      return null;
    }
  }

  private warnOnce(key: string, error: unknown): void {
    if (this.warned.has(key)) return;
    this.warned.add(key);
    this.logger.warn(
      { source: key, err: error },
      'host source unreadable; its series are left out',
    );
  }
}

/**
 * Parsers of Linux `/proc` files, as documented in proc(5). They take the file text, so tests
 * can pass fixed content.
 */

/** Aggregate CPU time from the first `cpu` line of `/proc/stat`, in clock ticks. */
export interface CpuTimes {
  busy: number;
  total: number;
}

export function parseProcStat(text: string): CpuTimes | null {
  const line = text.split('\n').find((candidate) => candidate.startsWith('cpu '));
  if (line === undefined) return null;
  // Fields: user nice system idle iowait irq softirq steal guest guest_nice. Guest time is
  // already counted in user and nice, so it is left out of the total.
  const fields = line.trim().split(/\s+/).slice(1, 9).map(Number);
  if (fields.length < 4 || fields.some((value) => !Number.isFinite(value))) return null;
  const total = fields.reduce((sum, value) => sum + value, 0);
  const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
  return { busy: total - idle, total };
}

/** Memory figures from `/proc/meminfo`, in bytes. */
export interface MemoryInfo {
  totalBytes: number;
  availableBytes: number;
}

export function parseMeminfo(text: string): MemoryInfo | null {
  const kib = (key: string) => {
    const match = new RegExp(`^${key}:\\s+(\\d+) kB$`, 'm').exec(text);
    return match === null ? undefined : Number(match[1]) * 1024;
  };
  const totalBytes = kib('MemTotal');
  const availableBytes = kib('MemAvailable');
  if (totalBytes === undefined || availableBytes === undefined) return null;
  return { totalBytes, availableBytes };
}

/** Byte counters per network interface from `/proc/net/dev`. */
export interface InterfaceBytes {
  device: string;
  receiveBytes: number;
  transmitBytes: number;
}

export function parseNetDev(text: string): InterfaceBytes[] {
  const interfaces: InterfaceBytes[] = [];
  for (const line of text.split('\n').slice(2)) {
    const match = /^\s*([^:\s]+):\s*(.*)$/.exec(line);
    if (match === null) continue;
    const fields = match[2]!.trim().split(/\s+/).map(Number);
    // Receive bytes is the first field and transmit bytes the ninth.
    if (fields.length < 9) continue;
    interfaces.push({ device: match[1]!, receiveBytes: fields[0]!, transmitBytes: fields[8]! });
  }
  return interfaces;
}

/**
 * Child process of the outbox kill test: `outbox-kill-writer.ts FILE` appends batches to the
 * outbox in FILE without end and sends `{ appended: seq }` over IPC after each append returned.
 */
import { Outbox } from '../../../appliance/store/outbox/outbox.ts';

const [path] = process.argv.slice(2);
if (path === undefined || process.send === undefined) {
  throw new Error('usage: fork outbox-kill-writer.ts FILE with an IPC channel');
}

const outbox = new Outbox({ path });
for (let batch = 0; ; batch++) {
  const appended = outbox.append('events', [{ batch }, { batch, second: true }]);
  if (!appended.ok) throw new Error(appended.reason);
  process.send({ appended: batch });
}

/**
 * Child process of the SIGKILL test: `sigkill-writer.ts DIRECTORY BATCH_SIZE` inserts batches
 * of events into the store in DIRECTORY without end and sends `{ committed: batch }` over IPC
 * after each insertEvents call returns, that is after the batch was acknowledged.
 */
import { SqliteStore } from '../../../appliance/store/sqlite-store.ts';
import { makeEvent } from './fixtures.ts';

const [directory, batchSizeText] = process.argv.slice(2);
const batchSize = Number(batchSizeText);
if (directory === undefined || !(batchSize > 0) || process.send === undefined) {
  throw new Error('usage: fork sigkill-writer.ts DIRECTORY BATCH_SIZE with an IPC channel');
}

const store = SqliteStore.open({ directory });
for (let batch = 0; ; batch++) {
  const events = [];
  for (let i = 0; i < batchSize; i++) {
    events.push(makeEvent({ id: `${batch}-${i}`, timestamp: batch * batchSize + i }));
  }
  store.insertEvents(events);
  process.send({ committed: batch });
}

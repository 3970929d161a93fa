import { once } from 'node:events';
import { Worker } from 'node:worker_threads';

import type { BikeModel } from './bike-model.ts';
import type { Slowdown } from './model-server.ts';
import type { ModelServerWorkerData } from './model-server-worker.ts';

/** A model server running in its own thread, and the way to stop it. */
export interface ModelServerThread {
  /** Base URL, such as `http://127.0.0.1:41234`. */
  url: string;
  stop(): Promise<void>;
}

/**
 * Starts the model server in a worker thread. The thread has its own event loop, so the
 * appliance's rule evaluations in the demo's main thread do not delay its responses, as they
 * would not delay a model server in a process of its own.
 */
export async function startModelServerThread(
  model: BikeModel,
  slowdowns: readonly Slowdown[],
): Promise<ModelServerThread> {
  const data: ModelServerWorkerData = {
    version: model.version,
    coefficients: model.coefficients,
    slowdowns: [...slowdowns],
  };
  const worker = new Worker(workerSource(), { eval: true, workerData: data });
  const [message] = (await Promise.race([
    once(worker, 'message'),
    once(worker, 'error').then(([error]) => Promise.reject(error as Error)),
  ])) as [{ url: string }];

  return {
    url: message.url,
    stop: async () => {
      const exited = once(worker, 'exit');
      worker.postMessage('stop');
      await exited;
    },
  };
}

/**
 * Returns the worker's bootstrap code. Node 20 does not pass the `--import tsx` hooks of the
 * main thread on to worker threads, so the worker registers tsx itself before it imports the
 * TypeScript entry point.
 */
function workerSource(): string {
  const tsx = JSON.stringify(import.meta.resolve('tsx/esm/api'));
  const entry = JSON.stringify(new URL('./model-server-worker.ts', import.meta.url).href);
  return `import(${tsx}).then(({ register }) => { register(); return import(${entry}); });`;
}

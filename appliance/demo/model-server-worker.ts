import { parentPort, workerData } from 'node:worker_threads';

import { modelFromCoefficients } from './bike-model.ts';
import { ModelServer, type Slowdown } from './model-server.ts';

/** Settings the demo passes to the model server thread. */
export interface ModelServerWorkerData {
  version: string;
  coefficients: number[];
  slowdowns: Slowdown[];
}

// Entry point of the model server thread: starts the server, posts its URL, and stops it when
// the parent posts 'stop'.
const data = workerData as ModelServerWorkerData;
const server = new ModelServer({
  model: modelFromCoefficients(data.version, data.coefficients),
  slowdowns: data.slowdowns,
});
const url = await server.start();
parentPort!.postMessage({ url });
parentPort!.on('message', (message: unknown) => {
  if (message !== 'stop') return;
  void server.stop().then(() => parentPort!.close());
});

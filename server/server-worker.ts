import { runClusterWorker } from './cluster';

runClusterWorker().catch((err: Error) => {
  process.stderr.write(`embedded server worker: ${err.message}\n`);
  process.exit(1);
});

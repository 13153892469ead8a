import { runClusterWorker } from './cluster';

// A peer's reset makes Node build an error for each socket and read its stack (its stream's destroy):
// at a 200K run's end that was ~4% of a server process's CPU (bench/README.md, "Profiles"). The
// server reports errors by message only, so it keeps no stack frames.
Error.stackTraceLimit = 0;

runClusterWorker().catch((err: Error) => {
  process.stderr.write(`embedded server worker: ${err.message}\n`);
  process.exit(1);
});

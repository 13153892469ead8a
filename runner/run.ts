import type { SecondRecord } from '../lib/results/record';
import { RunMeta, summarise } from '../lib/results/summarise';
import type { Summary } from '../lib/results/summary';
import type { ResolvedOptions } from '../lib/scenario/types';
import { redactOptions } from '../lib/core/vu-connection';
import { learnSecrets, redactor } from '../lib/core/redact';
import { clientSecrets } from '../lib/node/client-settings';
import type { ProxySettings } from '../lib/node/proxy-route';
import type { ServerStats } from '../server/server';
import { Accounting, LiveView } from './accounting';
import { Coordinator } from './coordinator';
import { connectionPlan, setUp, Setup, SetupConfig, tearDown } from './setup';

export type { LiveView } from './accounting';

export interface RunConfig extends SetupConfig {
  insecure?: boolean;
  ca?: string;
  /** `--cert`/`--key` (PEM text) and the proxy (runner/client-flags.ts). */
  cert?: string;
  key?: string;
  proxy?: ProxySettings;
  /**
   * Called once a second with the record of the second that just ended (every worker's part merged
   * exactly; shared: do not change it) and the live view.
   */
  onSecond?: (record: SecondRecord, live: LiveView) => void;
  /** Preflight warnings and other notes before the run. */
  onNote?: (line: string) => void;
  /** Called with the resolved options before any worker starts; throwing (ConfigError) stops the run there. */
  onOptions?: (options: ResolvedOptions) => void;
}

export interface RunResult {
  /** The run's per-second records and meta: lib/results/summarise.ts derives every result from them. */
  records: SecondRecord[];
  meta: RunMeta;
  options: ResolvedOptions;
  serverStats?: ServerStats;
  workers: number;
  sourceAddresses: string[];
  /** The target was the embedded server started for this run. */
  embedded: boolean;
}

/**
 * One run: the setup (bundle, options, target), then the coordinator (workers and their IPC)
 * booking into the accounting (seconds, deaths, summary). This class only sequences them.
 */
export class Run {
  private interrupted = false;
  private setup: Setup | undefined;
  private books: Accounting | undefined;
  private coordinator: Coordinator | undefined;
  private sources: string[] = [];

  constructor(private readonly cfg: RunConfig) {}

  /**
   * First call: stop starting VUs, close connections, report what was measured. False when there
   * was nothing left to stop (already interrupted, or every worker already done).
   */
  interrupt(): boolean {
    if (this.interrupted || this.coordinator?.allDone()) return false;
    this.interrupted = true;
    this.coordinator?.stop();
    return true;
  }

  get wasInterrupted(): boolean {
    return this.interrupted;
  }

  /** The summary so far, from every worker's latest snapshot (live thresholds); undefined before the start. */
  liveSummary(): Summary | undefined {
    return this.books?.liveSummary(this.interrupted);
  }

  /** Kills everything at once (second Ctrl-C) and returns the summary of the last snapshots. */
  abort(): Summary | undefined {
    this.coordinator?.kill();
    if (this.setup) void tearDown(this.setup);
    const books = this.books;
    return books && summarise(books.records(), books.meta(Date.now(), this.interrupted), []).summary;
  }

  /** The embedded server's own counters (before it stops), for comparisons. */
  async serverStats(): Promise<ServerStats | undefined> {
    return this.setup?.embedded?.stats();
  }

  async start(): Promise<RunResult> {
    const setup = (this.setup = await setUp(this.cfg));
    learnSecrets(setup.options); // every output of this process masks them (lib/core/redact.ts)
    redactor.add(clientSecrets({ insecure: false, key: this.cfg.key, proxy: this.cfg.proxy }));
    try {
      const books = (this.books = new Accounting(setup.options, this.cfg.onSecond, this.cfg.segment));
      this.coordinator = new Coordinator(books);
      this.cfg.onOptions?.(setup.options);
      return await this.execute(setup, books, this.coordinator);
    } finally {
      await tearDown(setup); // the bundle's temporary folder, and the embedded server
    }
  }

  private async execute(setup: Setup, books: Accounting, coordinator: Coordinator): Promise<RunResult> {
    const cfg = this.cfg;
    const { sources, warnings } = connectionPlan(cfg, setup);
    this.sources = sources;
    for (const w of warnings) cfg.onNote?.(`preflight: ${w}`);
    try {
      await coordinator.launch(setup.workerCount, {
        bundle: setup.bundle, options: setup.options, segment: cfg.segment ?? { index: 0, count: 1 }, sources,
        client: { insecure: !!cfg.insecure, ca: cfg.ca, cert: cfg.cert, key: cfg.key, proxy: cfg.proxy },
      });
    } catch (err) {
      coordinator.kill(); // one worker refused the scenario: the others must not stay behind
      throw err;
    }
    if (this.interrupted) {
      coordinator.kill();
      return this.result(Date.now());
    }
    await coordinator.run(Date.now() + 100);
    const endWall = Date.now();
    await coordinator.reaped();
    books.flush(true);
    return this.result(endWall);
  }

  private result(endWall: number): RunResult {
    const books = this.books as Accounting;
    return {
      records: books.records(), meta: books.meta(endWall, this.interrupted), options: redactOptions(books.options),
      workers: books.workers.length, sourceAddresses: this.sources, embedded: this.setup?.embedded !== undefined,
    };
  }
}

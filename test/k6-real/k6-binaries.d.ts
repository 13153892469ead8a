/** Types of test/k6-real/k6-binaries.js (plain CommonJS, shared with tier.js). */
export interface K6Binary {
  path: string;
  /** `v2.2.0` */
  version: string;
  /** k6 < 1.6: runs the `--k6-legacy` build. */
  legacy: boolean;
}

export declare const K6_ENV: { K6_NO_USAGE_REPORT: 'true'; K6_AUTO_EXTENSION_RESOLUTION: 'false' };

export declare function findK6(env?: NodeJS.ProcessEnv): { binaries: K6Binary[]; why: string | undefined };

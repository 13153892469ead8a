/** Misuse by the caller: printed as one line, exit code 1, never a stack trace (runner/cli.ts prints it). */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

import { version } from '../package.json';

/** wsbench's version, from package.json (bundled into dist/ by esbuild). */
export const VERSION: string = version;

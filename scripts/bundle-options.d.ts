/** Types of scripts/bundle-options.js, for the start-up imports test. */
import type { BuildOptions } from 'esbuild';
export function bundleOptions(root: string): BuildOptions;

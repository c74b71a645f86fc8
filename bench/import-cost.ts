// Import cost of the library in a fresh process, and whether any provider package root got
// loaded. `tsx bench/import-cost.ts [module]`: the sources by default, or a compiled entry point.
import * as path from 'node:path';

const entry = process.argv[2] ? path.resolve(process.argv[2]) : '../src';
const t0 = performance.now();
require(entry);
const seconds = (performance.now() - t0) / 1000;
const providerRoots = Object.keys(require.cache).filter((f) => /@cdktf[\\/]provider-[^\\/]+[\\/]lib[\\/]index\.js$/.test(f)).length;
console.log(JSON.stringify({ seconds, providerRoots }));

// Import cost of the library in a fresh process, and whether any provider package root got loaded.
const t0 = performance.now();
require('../src');
const seconds = (performance.now() - t0) / 1000;
const providerRoots = Object.keys(require.cache).filter((f) => /@cdktf[\\/]provider-[^\\/]+[\\/]lib[\\/]index\.js$/.test(f)).length;
console.log(JSON.stringify({ seconds, providerRoots }));

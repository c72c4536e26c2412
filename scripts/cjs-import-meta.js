// import.meta for the CLI's CommonJS bundles (scripts/build.mjs injects it):
// the bundle's own URL, made when first asked for (node:url costs a cold
// start 4 ms to load).
let url;
export const importMeta = {
  get url() { return (url ??= require('node:url').pathToFileURL(__filename).href); },
};

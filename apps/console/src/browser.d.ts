// The console runs in a browser: its files see the DOM (the rest of the repository is Node).
/// <reference lib="dom" />
/// <reference lib="dom.iterable" />

/** esbuild bundles the stylesheet the entry imports into console.css. */
declare module '*.css';

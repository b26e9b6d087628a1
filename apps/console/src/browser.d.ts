/** esbuild bundles the stylesheet the entry imports into console.css. */
declare module '*.css';

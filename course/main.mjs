// The course runner's entry point (npm scripts call this, not cli.ts directly).
// Plain JavaScript on purpose: under tsx's loader hooks every module resolution pays a toll,
// and vitest's Node API is hundreds of modules (measured: 1.6 s to import under tsx, 0.3 s
// without). So the heavy, already-JavaScript dependency is loaded first, natively; then tsx is
// registered for the runner's own TypeScript.
await import('vitest/node');
const { register } = await import('tsx/esm/api');
register();
await import('./cli.ts');

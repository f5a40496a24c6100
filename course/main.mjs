// The course runner's entry point (npm scripts call this, not cli.ts directly).
// Plain JavaScript on purpose: under tsx's loader hooks every module resolution pays a toll,
// and vitest's Node API is hundreds of modules (measured: 1.6 s to import under tsx, 0.3 s
// without). So the heavy, already-JavaScript dependency is loaded first, natively; then tsx is
// registered for the runner's own TypeScript.
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 19)) {
  console.error(
    `This course needs Node.js 22.19 or newer (Node 24 LTS recommended); this is Node ${process.version}.\n` +
      'Install a newer Node (https://nodejs.org, or `nvm install 24`), then run `npm install` again.',
  );
  process.exit(1);
}

await import('vitest/node');
const { register } = await import('tsx/esm/api');
register();
await import('./cli.ts');

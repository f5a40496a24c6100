// One student's check run, in a process of its own (see grade/run-student.ts for why).
// Plain JavaScript for the same reason as course/main.mjs: vitest loads natively, then tsx.
await import('vitest/node');
const { register } = await import('tsx/esm/api');
register();
await import('./worker.ts');

import { describe, test } from 'vitest';
import { connectServer, stepTitle, useLesson, type StepContext } from '../harness/index.js';
import meta from './lesson.js';

const lesson = useLesson(meta);

async function connect(step: StepContext) {
  return (await connectServer(step)).client;
}

describe(stepTitle(meta, 2), () => {
  const step = lesson.step(2);

  test('the initialize result names the server and carries instructions', async () => {
    const client = await connect(step);
    const info = client.getServerVersion();
    step.expect(info?.name, 'serverInfo.name').toBe('taskboard');
    step.expect(info?.version, 'serverInfo.version should be a real version, not the starter\'s').not.toBe('0.0.0');
    step.expect(info?.version, 'serverInfo.version is a semantic version').toMatch(/^\d+\.\d+\.\d+/);
    step.expect((client.getInstructions() ?? '').trim().length, 'instructions tell a model what the server is for').toBeGreaterThan(20);
  });

  test('the server declares the logging capability (and tools, for its tool)', async () => {
    const client = await connect(step);
    const capabilities = client.getServerCapabilities() ?? {};
    step.expect(capabilities.logging, `the logging capability must be declared; the server declared ${JSON.stringify(capabilities)}`).toBeDefined();
    step.expect(capabilities.tools, 'McpServer declares tools once a tool is registered').toBeDefined();
  });
});

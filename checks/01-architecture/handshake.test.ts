import { describe, test } from 'vitest';
import { connectServer, request, stepTitle, useLesson } from '../harness/index.js';
import meta from './lesson.js';

const lesson = useLesson(meta);

describe(stepTitle(meta, 2), () => {
  const step = lesson.step(2);

  test('R2.1, R2.2: the initialize result names the server, with a real version and instructions', async () => {
    const { client } = await connectServer(step);
    const info = client.getServerVersion();
    step.expect(info?.name, 'serverInfo.name').toBe('taskboard');
    step.expect(info?.version, "serverInfo.version should be a real version, not the starter's").not.toBe('0.0.0');
    step.expect(info?.version, 'serverInfo.version is a semantic version (like 0.1.0)').toMatch(/^\d+\.\d+\.\d+/);
    step.expect((client.getInstructions() ?? '').trim().length, 'instructions (longer than 20 characters) tell a model what the server is for').toBeGreaterThan(20);
  });

  test('R2.3: the server declares logging (and tools, for its tool), and answers logging/setLevel', async () => {
    const { client } = await connectServer(step);
    const capabilities = client.getServerCapabilities() ?? {};
    step.expect(capabilities.logging, `the logging capability must be declared; the server declared ${JSON.stringify(capabilities)}`).toBeDefined();
    step.expect(capabilities.tools, 'McpServer declares tools once a tool is registered').toBeDefined();
    // A capability is a promise: declared in the McpServer options, the SDK also installs the
    // logging/setLevel handler. Added later (registerCapabilities), it is advertised but unanswered.
    const answer = await request(
      step,
      'logging/setLevel (the server declared logging, so it must accept it; declare capabilities in the McpServer options, not with registerCapabilities afterwards)',
      (o) => client.setLoggingLevel('warning', o),
    );
    step.expect(answer, 'logging/setLevel is answered with an empty result').toEqual({});
  });
});

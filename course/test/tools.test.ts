import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import meta from '../../checks/02-first-server/lesson.js';
import { COURSE_ROOT } from '../../common/paths.js';
import { lessonDiff } from '../commands/diff.js';
import { inspectorCommand } from '../commands/inspect.js';
import { resetLesson } from '../commands/reset.js';
import { makeCheckout, runCli } from './sandbox.js';

describe('diff', () => {
  test('shows what is left to write, code only', () => {
    const { root } = makeCheckout({ '02-first-server': 'lessons' });
    cpSync(join(COURSE_ROOT, 'solutions/02-first-server'), join(root, 'solutions/02-first-server'), { recursive: true });
    writeFileSync(join(root, 'lessons/02-first-server/README.md'), 'the lesson text differs, and diff does not care');
    const text = lessonDiff(meta, root);
    expect(text).toContain('src/server.ts');
    expect(text).toMatch(/^\+\s+server\.registerTool\(/m);
    expect(text).toMatch(/^\+\s+'create_task',/m);
    expect(text).not.toContain('README.md');
  });

  test('shows nothing once the solution is copied over the starter', () => {
    const { root } = makeCheckout({ '02-first-server': 'solutions' });
    cpSync(join(COURSE_ROOT, 'solutions/02-first-server'), join(root, 'solutions/02-first-server'), { recursive: true });
    expect(lessonDiff(meta, root)).toBe('');
  });
});

describe('issue 7 item 18: diff shows only the learner\'s work', () => {
  test('comment-only and whitespace-only differences are not shown', () => {
    const { root } = makeCheckout({ '02-first-server': 'solutions' });
    cpSync(join(COURSE_ROOT, 'solutions/02-first-server'), join(root, 'solutions/02-first-server'), { recursive: true });
    const server = join(root, 'lessons/02-first-server/src/server.ts');
    const text = readFileSync(server, 'utf8');
    writeFileSync(server, `// TODO 1: my own notes\n/*\n * a block of notes\n */\n${text.replace(/^\/\/ Step.*$/gm, '// my comment instead').replaceAll('\n', '  \n')}`);
    expect(lessonDiff(meta, root)).toBe('');
  });

  test('--step K shows only the file of step K', async () => {
    const all = await runCli(['diff', '2']);
    const step5 = await runCli(['diff', '2', '--step', '5']);
    expect(all.stdout).toContain('src/server.ts');
    expect(step5.stdout).toContain('src/main.ts');
    expect(step5.stdout).not.toContain('src/server.ts');
    const bad = await runCli(['diff', '2', '--step', '9']);
    expect(bad.code).toBe(2);
  });
});

describe('reset', () => {
  test('restores the starter after the student committed, keeping a backup', () => {
    const { root, stateDir } = makeCheckout({ '02-first-server': 'lessons' });
    const git = (...args: string[]) => execFileSync('git', args, { cwd: root, encoding: 'utf8' });
    git('init', '-q');
    git('-c', 'user.name=t', '-c', 'user.email=t@t', 'add', 'lessons');
    git('-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'course');
    writeFileSync(join(stateDir, 'base'), git('rev-parse', 'HEAD'));

    const server = join(root, 'lessons/02-first-server/src/server.ts');
    const starter = readFileSync(server, 'utf8');
    writeFileSync(server, '// my work in progress\n');
    mkdirSync(join(root, 'lessons/02-first-server/notes'));
    writeFileSync(join(root, 'lessons/02-first-server/notes/todo.txt'), 'mine');
    git('-c', 'user.name=t', '-c', 'user.email=t@t', 'add', '-A');
    git('-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'student work');

    const { backup, restored } = resetLesson(meta, { root, stateDir });
    expect(restored).toBeGreaterThan(0);
    expect(readFileSync(server, 'utf8')).toBe(starter);
    expect(backup).toBeDefined();
    expect(readFileSync(join(backup!, 'src/server.ts'), 'utf8')).toBe('// my work in progress\n');
    expect(readFileSync(join(backup!, 'notes/todo.txt'), 'utf8')).toBe('mine');
  });
});

describe('hint', () => {
  test('gives the hints of a step one at a time, then stays on the last', async () => {
    const { stateDir } = makeCheckout({});
    const env = { COURSE_STATE_DIR: stateDir };
    const shown: string[] = [];
    for (let i = 0; i < 4; i++) shown.push((await runCli(['hint', '1'], env)).stdout);
    expect(shown[0]).toContain('Hint 1 of 3');
    expect(shown[1]).toContain('Hint 2 of 3');
    expect(shown[2]).toContain('Hint 3 of 3');
    expect(shown[3]).toContain('Hint 3 of 3');
    expect(shown[0]).toContain('step 1');
  });
});

describe('inspect', () => {
  test("the Inspector's --cli mode lists lesson 02's tools from the solution", async () => {
    const command = inspectorCommand(join(COURSE_ROOT, 'solutions/02-first-server/src/main.ts'), ['--cli', '--method', 'tools/list']);
    const output = execFileSync(command[0]!, command.slice(1), { cwd: COURSE_ROOT, encoding: 'utf8', timeout: 60_000, stdio: ['ignore', 'pipe', 'pipe'] });
    const { tools } = JSON.parse(output) as { tools: Array<{ name: string }> };
    expect(tools.map((t) => t.name).sort()).toEqual(['complete_task', 'create_task', 'list_tasks']);
  });

  test('npm run inspect passes --cli through and calls a tool', async () => {
    const run = await runCli(['inspect', '2', '--solution', '--cli', '--method', 'tools/call', '--tool-name', 'list_tasks', '--tool-arg', 'project=WEB']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('WEB-1');
  });
});

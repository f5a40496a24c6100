import { describe, test } from 'vitest';
import { stepTitle, useLesson, type StepContext } from '../harness/index.js';
import { httpClient, ok, refused, seed, ServerProcess, SLOW, tasksOf } from './fixture.js';
import meta from './lesson.js';

const lesson = useLesson(meta);

const LEGAL: Record<string, string[]> = {
  todo: ['in_progress', 'blocked', 'done'],
  in_progress: ['todo', 'blocked', 'done'],
  blocked: ['todo', 'in_progress'],
  done: ['todo'],
};
const STATUSES = ['todo', 'in_progress', 'blocked', 'done'];
/** A legal path from todo to each status, for an admin. */
const PATH_TO: Record<string, string[]> = { todo: [], in_progress: ['in_progress'], blocked: ['blocked'], done: ['done'] };

describe(stepTitle(meta, 2), () => {
  const step: StepContext = lesson.step(2);

  test('R-STATUS-1: every one of the 16 moves is allowed exactly when the table allows it, for an admin too; a refused move changes nothing', SLOW, async () => {
    const server = await ServerProcess.start(step, { transport: 'http' });
    const admin = await httpClient(step, server, 'admin');
    const pairs = STATUSES.flatMap((from) => STATUSES.map((to) => [from, to] as const));
    const ids = await seed(step, admin, 'MOVE', pairs.map(([from, to]) => `${from} to ${to}`));
    for (const [i, [from, to]] of pairs.entries()) {
      const id = ids[i]!;
      for (const s of PATH_TO[from]!) await ok(step, admin, 'set_status', { id, status: s });
      if (LEGAL[from]!.includes(to)) {
        const moved = await ok(step, admin, 'set_status', { id, status: to });
        step.expect(moved.task?.status, `${from} → ${to} is legal: set_status should answer the task with status ${to}`).toBe(to);
      } else {
        await refused(step, admin, 'set_status', { id, status: to }, `${from} → ${to} is not a legal move (admins included)`);
      }
    }
    const final = new Map((await tasksOf(step, admin, 'MOVE')).map((t) => [t.id, t.status]));
    for (const [i, [from, to]] of pairs.entries()) {
      step.expect(final.get(ids[i]!), `after ${from} → ${to}, ${ids[i]} should be ${LEGAL[from]!.includes(to) ? to : `still ${from}`}`).toBe(LEGAL[from]!.includes(to) ? to : from);
    }
  });

  test('R-STATUS-2: reopening (done → todo) needs tasks:admin', SLOW, async () => {
    const server = await ServerProcess.start(step, { transport: 'http' });
    const admin = await httpClient(step, server, 'admin');
    const alice = await httpClient(step, server, 'alice');
    const [id] = await seed(step, admin, 'WEB', ['Ship it']);
    await ok(step, alice, 'set_status', { id: id!, status: 'done' });
    await refused(step, alice, 'set_status', { id: id!, status: 'todo' }, 'alice has tasks:read and tasks:write, not tasks:admin');
    step.expect((await tasksOf(step, admin, 'WEB'))[0]?.status, 'a refused reopen leaves the task done').toBe('done');
    const reopened = await ok(step, admin, 'set_status', { id: id!, status: 'todo' });
    step.expect(reopened.task?.status, 'an admin may reopen').toBe('todo');
  });

  test('R-STATUS-3: an assigned task is moved only by its assignee or an admin', SLOW, async () => {
    const server = await ServerProcess.start(step, { transport: 'http' });
    const admin = await httpClient(step, server, 'admin');
    const alice = await httpClient(step, server, 'alice');
    const bob = await httpClient(step, server, 'bob');
    const [bobs, free] = await seed(step, admin, 'WEB', [{ title: 'Bob does this', assignee: 'bob' }, 'Anyone does this']);
    await refused(step, alice, 'set_status', { id: bobs!, status: 'in_progress' }, 'the task is assigned to bob and alice is not an admin');
    step.expect((await tasksOf(step, admin, 'WEB'))[0]?.status, 'a refused move leaves the task todo').toBe('todo');
    step.expect((await ok(step, bob, 'set_status', { id: bobs!, status: 'in_progress' })).task?.status, 'bob, the assignee, may move it').toBe('in_progress');
    step.expect((await ok(step, admin, 'set_status', { id: bobs!, status: 'blocked' })).task?.status, 'an admin may move it').toBe('blocked');
    step.expect((await ok(step, alice, 'set_status', { id: free!, status: 'done' })).task?.status, 'an unassigned task is moved by any writer').toBe('done');
  });
});

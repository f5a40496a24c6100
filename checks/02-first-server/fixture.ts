import { connectServer, type StepContext } from '../harness/index.js';

/** A fresh board (project WEB, no tasks) served by the student's createServer, and a Client on it. */
export async function connectToBoard(step: StepContext) {
  const { TaskboardStore } = await step.taskboard();
  const store = new TaskboardStore();
  store.createProject({ key: 'WEB', name: 'Website' });
  const { client } = await connectServer(step, { store });
  return { store, client };
}

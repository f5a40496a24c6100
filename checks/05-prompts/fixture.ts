import { connectServer, type StepContext } from '../harness/index.js';

/**
 * A known board served by the student's createServer, and a Client on it:
 *   WEB  (Website)    WEB-1 ana, WEB-2 ben (in progress), WEB-3 unassigned
 *   WIKI (Team wiki)  WIKI-1
 *   API  (Public API) API-1 ana, API-2
 */
export async function connectToBoard(step: StepContext) {
  const { TaskboardStore } = await step.taskboard();
  let tick = 0;
  const store = new TaskboardStore({ now: () => new Date(Date.UTC(2026, 0, 5, 9, 0, tick++)) });
  store.createProject({ key: 'WEB', name: 'Website', description: 'The public website.' });
  store.createProject({ key: 'WIKI', name: 'Team wiki' });
  store.createProject({ key: 'API', name: 'Public API', description: 'The REST API.' });
  store.createTask({ project: 'WEB', title: 'Fix the signup link', priority: 'high', labels: ['bug'], assignee: 'ana', dueDate: '2026-02-01' });
  store.createTask({ project: 'WEB', title: 'Redesign the pricing page', assignee: 'ben' });
  store.createTask({ project: 'WEB', title: 'Add a dark mode', priority: 'low', labels: ['feature'] });
  store.createTask({ project: 'WIKI', title: 'Write the onboarding page' });
  store.createTask({ project: 'API', title: 'Rate-limit the search endpoint', priority: 'urgent', assignee: 'ana' });
  store.createTask({ project: 'API', title: 'Document the pagination cursor' });
  store.setStatus('WEB-2', 'in_progress');
  const { client } = await connectServer(step, { store });
  return { store, client };
}

import { connectServer, type StepContext } from '../harness/index.js';

/**
 * A known board served by the student's createServer, and a Client on it. Built so that a wrong
 * filter or a wrong field gives a different answer than the right one:
 *
 *   WEB  (Website)          WEB-1 ana  todo         high    every status and every priority
 *                           WEB-2 ben  in_progress  medium  occurs in WEB, each task has its own
 *                           WEB-3 —    todo         low     pair, so a task line that shows the
 *                           WEB-4 ana  blocked      urgent  wrong field or none is visible
 *                           WEB-5 ben  done         medium  (a done task: "open only" is wrong)
 *   WIKI (Team wiki)        WIKI-1
 *   API  (Public API)       API-1 ana (urgent), API-2   ana also works in API: an assignee
 *                                                       filter that forgets the project shows
 *   APIX (API experiments)  APIX-1                      "API" is a prefix of "APIX": ids of a
 *                                                       project are not the ids that start with its key
 *
 * No title contains a status or priority word, so finding one on a task's line means the line
 * shows it.
 */
export async function connectToBoard(step: StepContext) {
  const { TaskboardStore } = await step.taskboard();
  let tick = 0;
  const store = new TaskboardStore({ now: () => new Date(Date.UTC(2026, 0, 5, 9, 0, tick++)) });
  store.createProject({ key: 'WEB', name: 'Website', description: 'The public website.' });
  store.createProject({ key: 'WIKI', name: 'Team wiki' });
  store.createProject({ key: 'API', name: 'Public API', description: 'The REST API.' });
  store.createProject({ key: 'APIX', name: 'API experiments' });
  store.createTask({ project: 'WEB', title: 'Fix the signup link', priority: 'high', labels: ['bug'], assignee: 'ana', dueDate: '2026-02-01' });
  store.createTask({ project: 'WEB', title: 'Redesign the pricing page', assignee: 'ben' });
  store.createTask({ project: 'WEB', title: 'Add a dark mode', priority: 'low', labels: ['feature'] });
  store.createTask({ project: 'WEB', title: 'Move the images to the CDN', priority: 'urgent', assignee: 'ana' });
  store.createTask({ project: 'WEB', title: 'Update the cookie banner', assignee: 'ben' });
  store.createTask({ project: 'WIKI', title: 'Write the onboarding page' });
  store.createTask({ project: 'API', title: 'Rate-limit the search endpoint', priority: 'urgent', assignee: 'ana' });
  store.createTask({ project: 'API', title: 'Document the pagination cursor' });
  store.createTask({ project: 'APIX', title: 'Try a GraphQL gateway' });
  store.setStatus('WEB-2', 'in_progress');
  store.setStatus('WEB-4', 'blocked');
  store.setStatus('WEB-5', 'done');
  const { client } = await connectServer(step, { store });
  return { store, client };
}

/** The ids of the fixture's tasks, by project. */
export const IDS = {
  WEB: ['WEB-1', 'WEB-2', 'WEB-3', 'WEB-4', 'WEB-5'],
  WIKI: ['WIKI-1'],
  API: ['API-1', 'API-2'],
  APIX: ['APIX-1'],
} as const;

export const ALL_IDS: readonly string[] = Object.values(IDS).flat();

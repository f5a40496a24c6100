import { TaskboardStore, type StoreOptions } from './store.js';

/**
 * A store with two projects and a handful of tasks, so a server has something to show the
 * moment it starts (in the Inspector, say). Checks that need an exact state build their own.
 */
export function createDemoStore(options: StoreOptions = {}): TaskboardStore {
  const store = new TaskboardStore(options);
  store.createProject({ key: 'WEB', name: 'Website', description: 'The public website and its landing pages.' });
  store.createProject({ key: 'API', name: 'Public API', description: 'The REST API our customers integrate with.' });
  store.createTask({ project: 'WEB', title: 'Fix the broken signup link', priority: 'high', labels: ['bug'], assignee: 'ana', dueDate: '2026-12-01' });
  store.createTask({ project: 'WEB', title: 'Redesign the pricing page', priority: 'medium', labels: ['design'], assignee: 'ben' });
  store.createTask({ project: 'WEB', title: 'Add a dark mode', priority: 'low', labels: ['feature', 'design'] });
  store.createTask({ project: 'API', title: 'Rate-limit the search endpoint', priority: 'urgent', labels: ['security'], assignee: 'ana', dueDate: '2026-11-30' });
  store.createTask({ project: 'API', title: 'Document the pagination cursor', priority: 'medium', labels: ['docs'] });
  store.setStatus('WEB-2', 'in_progress');
  return store;
}

import { TASK_PRIORITIES, TASK_STATUSES, type Project, type Task } from '../../../taskboard/index.js';

/**
 * Reusable pieces of prompt text. Each is a plain function that returns a string, so every
 * prompt that calls one says exactly the same thing, and a change here reaches them all.
 */

// Step 5: the shared fragments

/** Who the model is and how Taskboard works: the opening of the Taskboard prompts. */
export function roleFragment(): string {
  return [
    'You are the project assistant for Taskboard, a small project tracker.',
    `Tasks have ids like WEB-12, a status (${TASK_STATUSES.join(', ')}) and a priority (${TASK_PRIORITIES.join(', ')}).`,
    'Refer to tasks by their id and stick to the facts given here.',
  ].join(' ');
}

/** The project and its tasks, one line per task: what the model knows about the board. */
export function contextFragment(project: Project, tasks: Task[]): string {
  const header = [`Project ${project.key}: ${project.name}`, project.description].filter(Boolean).join('\n');
  if (tasks.length === 0) return `${header}\nNo tasks.`;
  return `${header}\nTasks (${tasks.length}):\n${tasks.map(taskLine).join('\n')}`;
}

/** What the answer must contain, as a numbered list. */
export function instructionsFragment(steps: string[]): string {
  return `Your answer:\n${steps.map((step, i) => `${i + 1}. ${step}`).join('\n')}`;
}

function taskLine(task: Task): string {
  const details = [
    task.assignee ? `assignee ${task.assignee}` : 'unassigned',
    task.dueDate ? `due ${task.dueDate}` : '',
    task.labels.length ? `labels ${task.labels.join(', ')}` : '',
  ].filter(Boolean);
  return `- ${task.id} [${task.status}] (${task.priority}) ${task.title}; ${details.join('; ')}`;
}

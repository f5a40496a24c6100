import { TASK_PRIORITIES, TASK_STATUSES, type Project, type Task } from '../../../taskboard/index.js';

/**
 * Reusable pieces of prompt text. Each is a plain function that returns a string, so every
 * prompt that calls one says exactly the same thing, and a change here reaches them all.
 */

// TODO 5: the shared fragments
//   Export three functions, each returning a string:
//     roleFragment(): string
//       who the model is and how Taskboard works (task ids like WEB-12, TASK_STATUSES,
//       TASK_PRIORITIES); the opening of the prompts.
//     contextFragment(project: Project, tasks: Task[]): string
//       the project (key, name, description) and one line per task with at least its id,
//       status, priority and title (say so when there are no tasks).
//     instructionsFragment(steps: string[]): string
//       what the answer must contain, one numbered line per step.
//   Then, in prompts.ts, build standup_report and the new plan_sprint from them (see the
//   second half of TODO 5 there). The checks call your functions and look for exactly their
//   output in both prompts.
export {};

import { setTimeout as delay } from 'node:timers/promises';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { TASK_ID_PATTERN, type Task, type TaskboardStore } from '../../../taskboard/index.js';
import { runTool, toolError, toolResult } from './errors.js';

/** A slow dependency: an estimation service that answers in hours. It must stop when `signal` aborts. */
export type Estimator = (task: Task, signal: AbortSignal) => Promise<number>;

export const DEFAULT_DEADLINE_MS = 2_000;

export interface EstimateOptions {
  /** The estimation service; a local stand-in when omitted. */
  estimator?: Estimator;
  /** How long estimate_task waits for the estimator before answering with a timeout error. */
  deadlineMs?: number;
}

/** The stand-in service: a rule of thumb, after a short pause that a cancellation cuts short. */
export const heuristicEstimator: Estimator = async (task, signal) => {
  await delay(150, undefined, { signal });
  const base = { low: 1, medium: 3, high: 5, urgent: 8 }[task.priority];
  return base + Math.ceil(task.title.length / 40);
};

export function registerEstimate(server: McpServer, store: TaskboardStore, options: EstimateOptions = {}): void {
  const estimator = options.estimator ?? heuristicEstimator;
  const deadlineMs = options.deadlineMs ?? DEFAULT_DEADLINE_MS;

  // Lesson 03, step 7: estimate_task, with a deadline
  server.registerTool(
    'estimate_task',
    {
      title: 'Estimate task',
      description: `Ask the estimation service how many hours a task will take. Gives up after ${deadlineMs} ms with a timeout error.`,
      inputSchema: {
        id: z.string().regex(TASK_ID_PATTERN).describe('Id of the task to estimate, for example "WEB-12".'),
      },
      // Changes nothing, but asks a service outside the board.
      annotations: { readOnlyHint: true, openWorldHint: true },
    },
    async ({ id }, extra) =>
      runTool(async () => {
        const task = store.getTask(id);
        // One signal for "the client cancelled" and "our deadline passed", handed to the dependency.
        const signal = AbortSignal.any([extra.signal, AbortSignal.timeout(deadlineMs)]);
        try {
          const hours = await untilAborted(estimator(task, signal), signal);
          return toolResult(`${task.id} "${task.title}" will take about ${hours} hours.`);
        } catch (error) {
          if (extra.signal.aborted) return toolError('The estimate was cancelled.');
          if (signal.aborted) {
            return toolError(
              `Timed out: the estimation service did not answer for ${task.id} within ${deadlineMs} ms. Try again later, or go on without an estimate.`,
            );
          }
          throw error;
        }
      }),
  );
}

/** Settles like `promise`, or rejects with the signal's reason as soon as the signal aborts. */
export function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

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
  /** How long the stand-in service takes to answer (TASKBOARD_ESTIMATE_DELAY_MS); 150 ms when omitted. */
  estimateDelayMs?: number;
  /** How long estimate_task waits for the estimator before answering with a timeout error. */
  deadlineMs?: number;
}

/** The stand-in service's rule of thumb: hours by priority, plus one per started 40 characters of title. */
export function estimateHours(task: Pick<Task, 'priority' | 'title'>): number {
  const base = { low: 1, medium: 3, high: 5, urgent: 8 }[task.priority];
  return base + Math.ceil(task.title.length / 40);
}

/** The stand-in service: the rule of thumb, after a pause (its latency) that a cancellation cuts short. */
export function heuristicEstimator(delayMs = 150): Estimator {
  return async (task, signal) => {
    await delay(delayMs, undefined, { signal });
    return estimateHours(task);
  };
}

export function registerEstimate(server: McpServer, store: TaskboardStore, options: EstimateOptions = {}): void {
  const estimator = options.estimator ?? heuristicEstimator(options.estimateDelayMs);
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
        // This lesson: tell a client that asked for progress that the service is being asked. Also
        // how a test knows the call is in flight (to cancel it, or to stop the server during it).
        const progressToken = extra._meta?.progressToken;
        if (progressToken !== undefined) {
          await extra.sendNotification({ method: 'notifications/progress', params: { progressToken, progress: 0, total: 1, message: `Asking the estimation service about ${task.id}` } });
        }
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

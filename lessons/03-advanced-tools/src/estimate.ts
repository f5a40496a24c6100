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

  // TODO 7: estimate_task, with a deadline
  //   Register `estimate_task`: input `id` (TASK_ID_PATTERN, described), annotated truthfully
  //   (it changes nothing, but asks a service outside the board). Inside runTool, the handler
  //   gets the task from the store and asks `estimator(task, signal)` for the hours, where
  //   `signal` aborts when the client cancels OR when deadlineMs has passed:
  //       AbortSignal.any([extra.signal, AbortSignal.timeout(deadlineMs)])
  //   Do not trust the estimator to stop by itself: await untilAborted(estimator(…), signal).
  //   When the deadline passed, answer with toolError(…) naming the task and saying it timed out
  //   after deadlineMs, and what to do instead; otherwise answer with the estimate.
  void server;
  void store;
  void estimator;
  void deadlineMs;
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

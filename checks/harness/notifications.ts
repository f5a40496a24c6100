import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { Notification } from '@modelcontextprotocol/sdk/types.js';
import { ANSWER_TIMEOUT_MS } from './connect.js';
import type { StepContext } from './lesson.js';

/**
 * Records every notification a client receives (progress, logging, list_changed,
 * resources/updated …) and lets a check wait for one by condition: never by sleeping.
 */
export class NotificationLog {
  readonly received: Notification[] = [];
  private waiters: Array<{ test: (n: Notification) => boolean; resolve: (n: Notification) => void }> = [];

  constructor(client: Client) {
    const previous = client.fallbackNotificationHandler;
    client.fallbackNotificationHandler = async (notification) => {
      this.record(notification);
      await previous?.(notification);
    };
  }

  /** Also record notifications that have their own handler on the client (progress, say). */
  record(notification: Notification): void {
    this.received.push(notification);
    this.waiters = this.waiters.filter((w) => {
      if (!w.test(notification)) return true;
      w.resolve(notification);
      return false;
    });
  }

  ofMethod(method: string): Notification[] {
    return this.received.filter((n) => n.method === method);
  }

  /** Resolves with the first notification (already received or still to come) that matches. */
  async waitFor(step: StepContext, what: string, test: (n: Notification) => boolean, timeoutMs = ANSWER_TIMEOUT_MS): Promise<Notification> {
    const seen = this.received.find(test);
    if (seen) return seen;
    let timer: NodeJS.Timeout | undefined;
    try {
      return await new Promise<Notification>((resolve, reject) => {
        this.waiters.push({ test, resolve });
        timer = setTimeout(() => reject(new Error('timeout')), timeoutMs);
      });
    } catch {
      const methods = this.received.map((n) => n.method);
      return step.fail(
        `expected ${what} within ${timeoutMs / 1000} s; the client received ${methods.length ? methods.join(', ') : 'no notifications'}.`,
      );
    } finally {
      clearTimeout(timer);
    }
  }
}

import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { Notification } from '@modelcontextprotocol/sdk/types.js';
import { Recorder } from './recorder.js';

/**
 * Records every notification a client receives without a handler of its own (logging,
 * list_changed, resources/updated …) and lets a check wait for one by condition. `describe`
 * says how a notification is named in a failure message (its method, unless told otherwise).
 */
export class NotificationLog extends Recorder<Notification> {
  constructor(client: Client, describe: (notification: Notification) => string = (n) => n.method) {
    super(describe);
    const previous = client.fallbackNotificationHandler;
    client.fallbackNotificationHandler = async (notification) => {
      this.record(notification);
      await previous?.(notification);
    };
  }

  ofMethod(method: string): Notification[] {
    return this.received.filter((n) => n.method === method);
  }
}

import type { ClientChannel } from "./channel.js";

interface Parked {
  deliver(channel: ClientChannel): void;
  expire(): void;
  timer: NodeJS.Timeout;
}

/**
 * Messages for a client that has no stream open yet. A server often speaks first, right after
 * `notifications/initialized` (server-filesystem asks for roots), while the client is still opening
 * its GET stream: such messages wait briefly for it instead of being lost. What waits too long
 * expires (a request is then answered with an error, so the server does not hang).
 */
export class ParkedMessages {
  private readonly holdMs: number;
  private readonly max: number;
  private readonly entries = new Set<Parked>();

  constructor(holdMs: number, max: number) {
    this.holdMs = holdMs;
    this.max = max;
  }

  park(deliver: (channel: ClientChannel) => void, expire: () => void): void {
    if (this.entries.size >= this.max) {
      expire();
      return;
    }
    const entry: Parked = {
      deliver,
      expire,
      timer: setTimeout(() => {
        this.entries.delete(entry);
        entry.expire();
      }, this.holdMs),
    };
    entry.timer.unref();
    this.entries.add(entry);
  }

  /** Delivers everything waiting, oldest first, on the stream that just opened. */
  flush(channel: ClientChannel): void {
    for (const entry of [...this.entries]) {
      this.entries.delete(entry);
      clearTimeout(entry.timer);
      entry.deliver(channel);
    }
  }

  expireAll(): void {
    for (const entry of [...this.entries]) {
      this.entries.delete(entry);
      clearTimeout(entry.timer);
      entry.expire();
    }
  }
}

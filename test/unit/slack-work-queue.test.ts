// The Slack work queue: a few tasks at a time, the rest in arrival order, and a bound on how many may wait.
import { describe, expect, it } from 'vitest';
import { QueueFullError, workQueue } from '../../src/channels/slack/slack-edge.js';

describe('Slack work queue', () => {
  it('runs at most `limit` at once, in arrival order, and refuses past `maxWaiting` instead of growing', async () => {
    const run = workQueue(1, 2);
    const order: number[] = [];
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const first = run(async () => {
      await gate;
      order.push(1);
    });
    await new Promise((r) => setImmediate(r));
    const second = run(async () => order.push(2));
    const third = run(async () => order.push(3));
    await expect(run(async () => order.push(4))).rejects.toBeInstanceOf(QueueFullError);
    release();
    await Promise.all([first, second, third]);
    expect(order).toEqual([1, 2, 3]);
    // Room again once the waiting ones ran.
    await run(async () => order.push(5));
    expect(order).toEqual([1, 2, 3, 5]);
  });
});

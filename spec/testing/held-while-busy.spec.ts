import { HeldWhileBusy } from '../../lib/testing/client/held-while-busy';

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

function tracked() {
  const log: string[] = [];
  const held = new HeldWhileBusy(() => {
    log.push('open');
    return () => log.push('close');
  });
  return { log, held };
}

describe('HeldWhileBusy (what the test client holds its subscription and mutes with)', () => {
  it('opens once for overlapping users and closes at the next turn after the last one leaves', async () => {
    const { log, held } = tracked();
    held.acquire();
    held.acquire();
    held.release();
    expect(log).toEqual(['open']);
    held.release();
    expect(log).toEqual(['open']); // still open until the next turn
    await nextTurn();
    expect(log).toEqual(['open', 'close']);
  });

  it('stays open for a user that comes back before the next turn (sequential requests share one opening)', async () => {
    const { log, held } = tracked();
    held.acquire();
    held.release();
    await Promise.resolve();
    held.acquire();
    await nextTurn();
    expect(log).toEqual(['open']);
    held.release();
    await nextTurn();
    expect(log).toEqual(['open', 'close']);
    held.acquire();
    expect(log).toEqual(['open', 'close', 'open']);
    held.release();
    await nextTurn();
    expect(log).toEqual(['open', 'close', 'open', 'close']);
  });
});

import { DemoDatabase } from '../../demo/database';
import { quietApp } from './support/apps';

describe('DemoDatabase (the demo module of the seed scenario)', () => {
  it('autocommits outside a transaction; a transaction is visible on its connection until commit', () => {
    const db = new DemoDatabase();
    db.insert('users', { name: 'ada' });
    db.begin();
    db.insert('users', { name: 'bob' });
    expect(db.rows('users')).toEqual([{ name: 'ada' }, { name: 'bob' }]);
    db.commit();
    expect(db.inTransaction).toBe(false);
    db.close();
    expect(db.rows('users')).toEqual([{ name: 'ada' }, { name: 'bob' }]); // committed: survives a new connection
  });

  it('closing rolls back an open transaction, and the next use opens a new connection', () => {
    const db = new DemoDatabase();
    const first = db.connection();
    db.begin();
    db.insert('users', { name: 'ada' });
    db.close();
    expect(first.closed).toBe(true);
    expect(db.connection().id).toBe(first.id + 1);
    expect(db.rows('users')).toEqual([]);
    expect(db.stats).toEqual({ opened: 2, closed: 1, rolledBack: 1 });
  });

  it('closeStaleConnections closes a connection in a transaction or older than maxAgeMs, and keeps a young one', () => {
    let now = 1_000;
    const db = new DemoDatabase({ maxAgeMs: 60_000, now: () => now });
    const connection = db.connection();
    db.closeStaleConnections();
    expect(db.connection()).toBe(connection); // young and idle: reused (Django's CONN_MAX_AGE)
    now += 60_000;
    db.closeStaleConnections();
    expect(connection.closed).toBe(true);
    db.begin();
    db.closeStaleConnections(); // a transaction left open at a request boundary is a leak
    expect(db.inTransaction).toBe(false);
    expect(db.stats.rolledBack).toBe(1);
  });

  it('says what is wrong', async () => {
    expect(() => new DemoDatabase({ maxAgeMs: -1 })).toThrow(/maxAgeMs must be a number >= 0/);
    expect(() => new DemoDatabase({ now: 5 as never })).toThrow(/options.now must be a function/);
    const db = new DemoDatabase();
    expect(() => db.commit()).toThrow(/no transaction is open/);
    db.begin();
    expect(() => db.begin()).toThrow(/already open/);
    const app = quietApp();
    expect(() => db.connectToRequestSignals(app)).toThrow(/register\(signalsPlugin\) first/);
    await app.close();
  });
});

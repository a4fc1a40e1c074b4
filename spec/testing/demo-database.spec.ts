import { existsSync } from 'node:fs';
import Sqlite from 'better-sqlite3';
import { DemoDatabase } from '../../demo/database';
import { quietApp } from './support/apps';

describe('DemoDatabase (the SQLite database of the seed scenario and the demo)', () => {
  const databases: DemoDatabase[] = [];
  afterEach(() => {
    for (const db of databases.splice(0)) db.destroy();
  });
  function newDatabase(options?: ConstructorParameters<typeof DemoDatabase>[0]) {
    const db = new DemoDatabase(options);
    databases.push(db);
    return db;
  }

  it('is a real SQLite file: autocommit outside a transaction, a transaction visible on its connection only until commit', () => {
    const db = newDatabase();
    db.insert('users', { name: 'ada' });
    db.begin();
    db.insert('users', { name: 'bob' });
    expect(db.rows('users')).toEqual([{ name: 'ada' }, { name: 'bob' }]);
    // Another connection to the same file sees only what was committed.
    const other = new Sqlite(db.filename, { readonly: true });
    expect(other.prepare('SELECT name FROM users ORDER BY rowid').all()).toEqual([{ name: 'ada' }]);
    db.commit();
    expect(other.prepare('SELECT name FROM users ORDER BY rowid').all()).toEqual([{ name: 'ada' }, { name: 'bob' }]);
    other.close();
    expect(db.inTransaction).toBe(false);
    db.close();
    expect(db.rows('users')).toEqual([{ name: 'ada' }, { name: 'bob' }]); // committed: survives a new connection
  });

  it('closing rolls back an open transaction, and the next use opens a new connection', () => {
    const db = newDatabase();
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
    const db = newDatabase({ maxAgeMs: 60_000, now: () => now });
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

  it('destroy() removes the temporary file it made, and leaves a given file alone', () => {
    const made = new DemoDatabase();
    made.insert('users', { name: 'ada' });
    expect(existsSync(made.filename)).toBe(true);
    made.destroy();
    expect(existsSync(made.filename)).toBe(false);

    const scratch = newDatabase();
    const given = new DemoDatabase({ filename: `${scratch.filename}.given` });
    given.insert('visits', { item: '7' });
    given.destroy();
    expect(existsSync(given.filename)).toBe(true);
    expect(new DemoDatabase({ filename: given.filename }).rows('visits')).toEqual([{ item: '7' }]);
  });

  it('says what is wrong', async () => {
    expect(() => new DemoDatabase({ maxAgeMs: -1 })).toThrow(/maxAgeMs must be a number >= 0/);
    expect(() => new DemoDatabase({ now: 5 as never })).toThrow(/options.now must be a function/);
    expect(() => new DemoDatabase({ filename: ':memory:' })).toThrow(
      /must be the path of an SQLite file, got ":memory:"/,
    );
    const db = newDatabase();
    expect(() => db.commit()).toThrow(/no transaction is open/);
    db.begin();
    expect(() => db.begin()).toThrow(/already open/);
    expect(() => db.insert('users', { nmae: 'ada' })).toThrow(/a users row has the columns name, got \{"nmae":"ada"\}/);
    expect(() => db.rows('posts' as never)).toThrow(/no table "posts"; the tables are users, visits/);
    const app = quietApp();
    expect(() => db.connectToRequestSignals(app)).toThrow(/register\(signalsPlugin\) first/);
    await app.close();
  });
});

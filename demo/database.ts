import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Sqlite from 'better-sqlite3';
import { Subscription, type Observable } from 'rxjs';
import type { FastifyInstance } from 'fastify';
import { pausable, requestFinished, requestStarted } from '../lib';

/** The demo's tables and their columns (each table also has SQLite's `rowid`, the insertion order). */
const SCHEMA = {
  users: ['name'],
  visits: ['item'],
} as const satisfies Record<string, readonly string[]>;

/**
 * A table of the demo database.
 *
 * @example
 * const table: DemoTable = 'users';
 */
export type DemoTable = keyof typeof SCHEMA;

/**
 * A row of a demo table: its columns and their values.
 *
 * @example
 * const row: DemoRow = { name: 'ada' };
 */
export type DemoRow = Record<string, string | number | null>;

/**
 * Options of {@link DemoDatabase}.
 *
 * @example
 * const db = new DemoDatabase({ maxAgeMs: 60_000 });
 */
export interface DemoDatabaseOptions {
  /** The SQLite file. Default: a new file in a temporary folder, removed by `destroy()`. */
  filename?: string;
  /**
   * How long a connection may be reused across requests (Django's `CONN_MAX_AGE`): 0 (default)
   * closes it at every request boundary, Infinity never.
   */
  maxAgeMs?: number;
  /** The clock, in milliseconds (default `Date.now`). */
  now?: () => number;
}

/**
 * A real SQLite database (through better-sqlite3) used the way Django uses its database
 * connection: one connection at a time, opened lazily, in autocommit mode unless a transaction
 * is open; closing the connection rolls an open transaction back (SQLite does, on close).
 * Its `closeStaleConnections` receiver is Django's `close_old_connections`, connected to
 * `requestStarted` and `requestFinished`.
 *
 * That receiver is why Django's test client disconnects `close_old_connections` around test
 * requests: a test runs inside a transaction, and closing the connection at a request boundary
 * would roll the test's data back. Here a test mutes it for its own requests instead
 * (`testClient(app, { mute: [db.closeStaleConnections] })`), or pauses it with an operator (see
 * `connectToRequestSignals(app, { paused$ })`).
 *
 * @example
 * const db = new DemoDatabase();
 * db.connectToRequestSignals(app);
 * app.get('/users', async () => db.rows('users'));
 * db.insert('users', { name: 'ada' }); // autocommit: stored at once
 * await app.close();
 * db.destroy();
 */
export class DemoDatabase {
  /** Counts of what happened to connections and transactions, for demos and assertions. */
  readonly stats = { opened: 0, closed: 0, rolledBack: 0 };
  /** The SQLite file. */
  readonly filename: string;
  private readonly maxAgeMs: number;
  private readonly now: () => number;
  /** The temporary folder this database made for its file, removed by `destroy()`. */
  private readonly ownFolder: string | undefined;
  private current: DemoConnection | null = null;
  private nextConnectionId = 1;

  /**
   * Django's `close_old_connections`: at a request boundary, closes the connection if it is in a
   * transaction nobody committed (a leak: its writes are rolled back) or older than `maxAgeMs`.
   * A receiver for `requestStarted` and `requestFinished` (it ignores the event).
   *
   * @example
   * requestFinished.connect(db.closeStaleConnections, { sender: app });
   */
  readonly closeStaleConnections = (_event?: object): void => {
    const connection = this.current;
    if (connection === null) return;
    if (connection.inTransaction || this.now() - connection.openedAt >= this.maxAgeMs) this.close();
  };

  constructor(options: DemoDatabaseOptions = {}) {
    const { filename, maxAgeMs = 0, now = Date.now } = options;
    if (typeof maxAgeMs !== 'number' || Number.isNaN(maxAgeMs) || maxAgeMs < 0) {
      throw new TypeError(
        `new DemoDatabase(): options.maxAgeMs must be a number >= 0 (or Infinity), got ${String(maxAgeMs)}.`,
      );
    }
    if (typeof now !== 'function') {
      throw new TypeError('new DemoDatabase(): options.now must be a function returning milliseconds, e.g. Date.now.');
    }
    if (filename !== undefined && (typeof filename !== 'string' || filename === '' || filename === ':memory:')) {
      throw new TypeError(
        `new DemoDatabase(): options.filename must be the path of an SQLite file, got ${JSON.stringify(filename) ?? String(filename)}. ` +
          '(Not :memory:, which closing the connection would erase; leave it out for a temporary file.)',
      );
    }
    this.maxAgeMs = maxAgeMs;
    this.now = now;
    this.ownFolder = filename === undefined ? mkdtempSync(join(tmpdir(), 'rx-signals-demo-')) : undefined;
    this.filename = filename ?? join(this.ownFolder!, 'demo.sqlite');
    // Create the file and its tables now, not in the first request (creating them syncs to disk).
    const setup = openSqlite(this.filename);
    for (const [table, columns] of Object.entries(SCHEMA)) {
      setup.exec(`CREATE TABLE IF NOT EXISTS ${table} (${columns.map((column) => `${column} TEXT`).join(', ')})`);
    }
    setup.close();
  }

  /**
   * The open connection, opened now if there is none (lazily, like Django's).
   *
   * @example
   * const id = db.connection().id;
   */
  connection(): DemoConnection {
    if (this.current === null) {
      this.current = new DemoConnection(this.nextConnectionId++, this.now(), openSqlite(this.filename));
      this.stats.opened++;
    }
    return this.current;
  }

  /** True while the open connection is in a transaction. */
  get inTransaction(): boolean {
    return this.current?.inTransaction ?? false;
  }

  /**
   * Starts a transaction on the connection: its writes stay on it until `commit()`.
   *
   * @example
   * db.begin(); db.insert('users', { name: 'ada' }); db.commit();
   */
  begin(): void {
    const connection = this.connection();
    if (connection.inTransaction)
      throw new Error('DemoDatabase.begin(): a transaction is already open; commit or roll back first.');
    connection.handle.exec('BEGIN');
  }

  /** Stores the transaction's writes and ends it. */
  commit(): void {
    this.requireTransaction('commit').handle.exec('COMMIT');
  }

  /** Drops the transaction's writes and ends it. */
  rollback(): void {
    this.requireTransaction('rollback').handle.exec('ROLLBACK');
    this.stats.rolledBack++;
  }

  /**
   * Adds a row: at once (autocommit), or in the connection's transaction when one is open.
   *
   * @example
   * db.insert('users', { name: 'ada' });
   */
  insert(table: DemoTable, row: DemoRow): void {
    const columns = columnsOf(table);
    const names = Object.keys(row);
    const unknown = names.find((name) => !columns.includes(name));
    if (unknown !== undefined || names.length === 0) {
      throw new TypeError(
        `DemoDatabase.insert(): a ${table} row has the columns ${columns.join(', ')}, got ${JSON.stringify(row)}.`,
      );
    }
    this.connection()
      .handle.prepare(`INSERT INTO ${table} (${names.join(', ')}) VALUES (${names.map(() => '?').join(', ')})`)
      .run(...names.map((name) => row[name]));
  }

  /**
   * The rows of a table as this connection sees them (its transaction's writes included), in
   * insertion order.
   *
   * @example
   * db.rows('users'); // [{ name: 'ada' }]
   */
  rows(table: DemoTable): DemoRow[] {
    const columns = columnsOf(table);
    return this.connection()
      .handle.prepare(`SELECT ${columns.join(', ')} FROM ${table} ORDER BY rowid`)
      .all() as DemoRow[];
  }

  /** Closes the connection; SQLite rolls an open transaction back. The next use opens a new one. */
  close(): void {
    const connection = this.current;
    if (connection === null) return;
    if (connection.inTransaction) this.stats.rolledBack++;
    connection.handle.close();
    this.current = null;
    this.stats.closed++;
  }

  /** Closes the connection and removes the temporary file this database made (not a file it was given). */
  destroy(): void {
    this.close();
    if (this.ownFolder !== undefined) rmSync(this.ownFolder, { recursive: true, force: true });
  }

  /**
   * Connects `closeStaleConnections` to the `requestStarted` and `requestFinished` of `app`
   * (through `app.signals`, so `app.close()` disconnects it; `signalsPlugin` must be registered).
   * With `paused$`, both connections go through `pausable(paused$)`: while it is `true` the
   * receiver is skipped (events dropped, not replayed), still connected, in the same place.
   * Unsubscribing the result disconnects both.
   *
   * @example
   * const cleanupPaused$ = new BehaviorSubject(false);
   * db.connectToRequestSignals(app, { paused$: cleanupPaused$ });
   */
  connectToRequestSignals(app: FastifyInstance, options: { paused$?: Observable<boolean> } = {}): Subscription {
    if (typeof app?.signals?.connect !== 'function') {
      throw new TypeError(
        'DemoDatabase.connectToRequestSignals(app): app must be a Fastify app with signalsPlugin registered ' +
          '(await app.register(signalsPlugin) first).',
      );
    }
    const { paused$ } = options;
    const subscription = new Subscription();
    subscription.add(
      app.signals.connect(requestStarted, this.closeStaleConnections, {
        pipe: paused$ ? pausable(paused$) : undefined,
      }),
    );
    subscription.add(
      app.signals.connect(requestFinished, this.closeStaleConnections, {
        pipe: paused$ ? pausable(paused$) : undefined,
      }),
    );
    return subscription;
  }

  private requireTransaction(action: string): DemoConnection {
    const connection = this.current;
    if (!connection?.inTransaction)
      throw new Error(`DemoDatabase.${action}(): no transaction is open (it may have been closed).`);
    return connection;
  }
}

/**
 * One connection of a {@link DemoDatabase}. A new `id` after a close shows that the old
 * connection (and its transaction) is gone.
 *
 * @example
 * const before = db.connection().id;
 * await app.inject('/');          // closeStaleConnections ran
 * db.connection().id !== before;  // true: a new connection
 */
export class DemoConnection {
  constructor(
    readonly id: number,
    readonly openedAt: number,
    /** The better-sqlite3 connection. */
    readonly handle: Sqlite.Database,
  ) {}

  /** True once closed (a closed connection is never reopened: the database opens a new one). */
  get closed(): boolean {
    return !this.handle.open;
  }

  /** True while a transaction is open on it. */
  get inTransaction(): boolean {
    return this.handle.open && this.handle.inTransaction;
  }
}

/** A connection to the file. A demo's data need not survive a power cut: commits skip the disk sync. */
function openSqlite(filename: string): Sqlite.Database {
  const handle = new Sqlite(filename);
  handle.pragma('synchronous = OFF');
  return handle;
}

function columnsOf(table: unknown): readonly string[] {
  if (typeof table !== 'string' || !Object.hasOwn(SCHEMA, table)) {
    throw new TypeError(
      `DemoDatabase: no table ${JSON.stringify(table)}; the tables are ${Object.keys(SCHEMA).join(', ')}.`,
    );
  }
  return SCHEMA[table as DemoTable];
}

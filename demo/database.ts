import { Subscription, type Observable } from 'rxjs';
import type { FastifyInstance } from 'fastify';
import { pausable, requestFinished, requestStarted } from '../lib';

/**
 * A tiny in-memory database that behaves like a Django database connection where it matters for
 * the signals: it connects lazily, keeps a transaction's writes on the connection until commit,
 * and loses them when the connection is closed. Its `closeStaleConnections` receiver is Django's
 * `close_old_connections`, connected to `requestStarted` and `requestFinished`.
 *
 * That receiver is why Django's test client disconnects `close_old_connections` around test
 * requests: a test runs inside a transaction, and closing the connection at a request boundary
 * would roll the test's data back. Here a test pauses it with an operator instead (see
 * `connectToRequestSignals(app, { paused$ })`).
 *
 * @example
 * const db = new DemoDatabase();
 * db.connectToRequestSignals(app);
 * app.get('/users', async () => db.rows('users'));
 * db.insert('users', { name: 'ada' }); // autocommit: stored at once
 */
export class DemoDatabase {
  /** Counts of what happened to connections and transactions, for demos and assertions. */
  readonly stats = { opened: 0, closed: 0, rolledBack: 0 };
  private readonly maxAgeMs: number;
  private readonly now: () => number;
  private readonly tables = new Map<string, DemoRow[]>();
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

  /**
   * @param options.maxAgeMs How long a connection may be reused across requests (Django's
   *   `CONN_MAX_AGE`): 0 (default) closes it at every request boundary, Infinity never.
   * @param options.now The clock, in milliseconds (default `Date.now`).
   */
  constructor(options: { maxAgeMs?: number; now?: () => number } = {}) {
    const { maxAgeMs = 0, now = Date.now } = options;
    if (typeof maxAgeMs !== 'number' || Number.isNaN(maxAgeMs) || maxAgeMs < 0) {
      throw new TypeError(`new DemoDatabase(): options.maxAgeMs must be a number >= 0 (or Infinity), got ${String(maxAgeMs)}.`);
    }
    if (typeof now !== 'function') {
      throw new TypeError('new DemoDatabase(): options.now must be a function returning milliseconds, e.g. Date.now.');
    }
    this.maxAgeMs = maxAgeMs;
    this.now = now;
  }

  /**
   * The open connection, opened now if there is none (lazily, like Django's).
   *
   * @example
   * const id = db.connection().id;
   */
  connection(): DemoConnection {
    if (this.current === null) {
      this.current = new DemoConnection(this.nextConnectionId++, this.now());
      this.stats.opened++;
    }
    return this.current;
  }

  /** True while the open connection is in a transaction. */
  get inTransaction(): boolean {
    return this.current?.inTransaction ?? false;
  }

  /**
   * Starts a transaction on the connection: writes stay on it until `commit()`.
   *
   * @example
   * db.begin(); db.insert('users', { name: 'ada' }); db.commit();
   */
  begin(): void {
    const connection = this.connection();
    if (connection.inTransaction) throw new Error('DemoDatabase.begin(): a transaction is already open; commit or roll back first.');
    connection.pending = [];
  }

  /** Stores the transaction's writes and ends it. */
  commit(): void {
    const connection = this.requireTransaction('commit');
    for (const [table, row] of connection.pending!) this.table(table).push(row);
    connection.pending = null;
  }

  /** Drops the transaction's writes and ends it. */
  rollback(): void {
    this.requireTransaction('rollback').pending = null;
    this.stats.rolledBack++;
  }

  /**
   * Adds a row: at once (autocommit), or on the connection's transaction when one is open.
   *
   * @example
   * db.insert('users', { name: 'ada' });
   */
  insert(table: string, row: DemoRow): void {
    const connection = this.connection();
    if (connection.pending) connection.pending.push([table, { ...row }]);
    else this.table(table).push({ ...row });
  }

  /**
   * The rows of a table as this connection sees them: committed ones, then its transaction's.
   *
   * @example
   * db.rows('users'); // [{ name: 'ada' }]
   */
  rows(table: string): DemoRow[] {
    const connection = this.connection();
    const pending = (connection.pending ?? []).filter(([name]) => name === table).map(([, row]) => row);
    return [...this.table(table), ...pending].map((row) => ({ ...row }));
  }

  /** Closes the connection; an open transaction is rolled back. The next use opens a new one. */
  close(): void {
    const connection = this.current;
    if (connection === null) return;
    if (connection.inTransaction) {
      connection.pending = null;
      this.stats.rolledBack++;
    }
    connection.closed = true;
    this.current = null;
    this.stats.closed++;
  }

  /**
   * Connects `closeStaleConnections` to the `requestStarted` and `requestFinished` of `app`
   * (through `app.signals`, so `app.close()` disconnects it; `signalsPlugin` must be registered).
   * With `paused$`, both connections go through `pausable(paused$)`: while it is `true` the
   * receiver is skipped (events dropped, not replayed), still connected, in the same place. That
   * is the seam a test uses to keep its transaction across test requests. Unsubscribing the
   * result disconnects both.
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
      app.signals.connect(requestStarted, this.closeStaleConnections, { pipe: paused$ ? pausable(paused$) : undefined }),
    );
    subscription.add(
      app.signals.connect(requestFinished, this.closeStaleConnections, { pipe: paused$ ? pausable(paused$) : undefined }),
    );
    return subscription;
  }

  private table(name: string): DemoRow[] {
    let rows = this.tables.get(name);
    if (!rows) this.tables.set(name, (rows = []));
    return rows;
  }

  private requireTransaction(action: string): DemoConnection {
    const connection = this.current;
    if (!connection?.inTransaction) throw new Error(`DemoDatabase.${action}(): no transaction is open (it may have been closed).`);
    return connection;
  }
}

/**
 * A row of a {@link DemoDatabase} table: a plain record, copied in and out.
 *
 * @example
 * const row: DemoRow = { name: 'ada' };
 */
export type DemoRow = Record<string, unknown>;

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
  closed = false;
  /** The transaction's writes, or null outside a transaction. @internal */
  pending: [table: string, row: DemoRow][] | null = null;

  constructor(
    readonly id: number,
    readonly openedAt: number,
  ) {}

  get inTransaction(): boolean {
    return this.pending !== null;
  }
}

import type { Knex } from "knex";
import type { Database, Statement } from "sqlite3";

/**
 * A query every request runs (the session's row and its user), on SQLite through a statement
 * each connection prepares once and then only binds and runs (issue 11). knex's own way
 * prepares, runs and finalizes a new statement per query: two trips to the thread pool and back
 * instead of one, and on the planning board under load that wait for the single connection set
 * the pace — 600–700 board requests a second against 900 with the statement kept (measured
 * back to back under 50 connections on the region).
 *
 * The connection is taken from knex's pool and given back, so the query waits for a running
 * transaction as any other; inside a transaction the caller uses the transaction itself. The
 * statements are finalized before knex closes their connection: SQLite refuses to close one
 * with statements still open. SQLite prepares a kept statement again by itself when a migration
 * changed a table it reads. Listeners of the handle's query events see the query as knex's own.
 */

type Connection = Database & { __knexUid?: string };
type Client = { acquireConnection(): Promise<Connection>; releaseConnection(connection: Connection): unknown; destroyRawConnection(connection: Connection): Promise<unknown> };

const kept = new WeakMap<Connection, Map<string, Statement>>();
const finalizing = new WeakSet<Client>();
let queries = 0;

/** Runs `sql` with `bindings` on a connection of `db` (SQLite, not a transaction) through its kept statement. */
export async function runKept<R>(db: Knex, sql: string, bindings: readonly unknown[]): Promise<R[]> {
  const client = db.client as unknown as Client;
  finalizeBeforeClose(client);
  const query = db.listenerCount("query") + db.listenerCount("query-response") + db.listenerCount("query-error") > 0 ? { method: "raw", sql, bindings, __knexQueryUid: `kept${++queries}` } : null;
  const connection = await client.acquireConnection();
  try {
    if (query) db.emit("query", { ...query, __knexUid: connection.__knexUid });
    const statement = await statementFor(connection, sql);
    const rows = await new Promise<R[]>((resolve, reject) => statement.all(bindings, (err: Error | null, found: R[]) => (err ? reject(err) : resolve(found))));
    if (query) db.emit("query-response", rows, { ...query, __knexUid: connection.__knexUid });
    return rows;
  } catch (err) {
    if (query) db.emit("query-error", err, { ...query, __knexUid: connection.__knexUid });
    throw err;
  } finally {
    client.releaseConnection(connection);
  }
}

/** The connection's statement for `sql`, prepared at its first use; one that fails to prepare is not kept. */
async function statementFor(connection: Connection, sql: string): Promise<Statement> {
  let statements = kept.get(connection);
  if (!statements) kept.set(connection, (statements = new Map()));
  const found = statements.get(sql);
  if (found) return found;
  // A text SQLite refuses is left with no statement behind it: nothing to finalize or keep.
  const statement = await new Promise<Statement>((resolve, reject) => {
    const s: Statement = connection.prepare(sql, (err: Error | null) => (err ? reject(err) : resolve(s)));
  });
  statements.set(sql, statement);
  return statement;
}

/** Once per knex client: its connections' kept statements are finalized before it closes them. */
function finalizeBeforeClose(client: Client): void {
  if (finalizing.has(client)) return;
  finalizing.add(client);
  const destroy = client.destroyRawConnection.bind(client);
  client.destroyRawConnection = async (connection: Connection) => {
    const statements = kept.get(connection);
    kept.delete(connection);
    // A kept statement is idle here: the pool closes only connections nobody holds.
    await Promise.all([...(statements?.values() ?? [])].map((s) => new Promise<void>((resolve) => s.finalize(() => resolve()))));
    return destroy(connection);
  };
}

// Every test run refuses what pg@9 will refuse: a query sent to a PostgreSQL connection that is
// still running another. node-postgres 8 queues it and prints one deprecation warning per
// process, which hides where; here the query fails at once with its stack, so the test that
// reaches it names the place. A transaction has one connection: independent reads in it go one
// after another (readTogether in src/db/dialect.ts); on the pool each read takes its own.
const { Client } = require("pg");

const query = Client.prototype.query;
Client.prototype.query = function (...args) {
  if (this._activeQuery || this._queryQueue.length > 0) {
    throw new Error("a second query on a PostgreSQL connection that is still running one (pg@9 refuses it): in a transaction, read one after another (readTogether in src/db/dialect.ts)");
  }
  return query.apply(this, args);
};

import { createServer } from 'node:http';
import pg from 'pg';

/**
 * The PostgreSQL lookup limit: the bearer key from a Map, one prepared point query through `pg`
 * for the stored response bytes (table `bench_bodies`, same size as `calls`), and the write.
 */
const pool = new pg.Pool({ connectionString: process.env.BENCH_PG_URL, max: 10 });
const keys = new Map([[`Bearer ${process.env.BENCH_KEY}`, 'project']]);
const notFound = Buffer.from('{"status":"error","error_code":"CALL_NOT_FOUND","message":"not found"}');
const port = Number(process.env.PORT);

createServer((req, res) => {
  if (!keys.has(req.headers.authorization ?? '')) {
    res.writeHead(401).end();
    return;
  }
  pool
    .query<{ body: string }>({
      name: 'lookup',
      text: 'SELECT body FROM bench_bodies WHERE id = $1',
      values: [(req.url as string).slice(9)],
    })
    .then(
      ({ rows }) => {
        const body = rows[0] ? Buffer.from(rows[0].body) : notFound;
        res.writeHead(rows[0] ? 200 : 404, { 'content-type': 'application/json', 'content-length': body.length });
        res.end(body);
      },
      () => res.writeHead(500).end(),
    );
}).listen(port, '127.0.0.1', () => process.stdout.write('ready\n'));

import { createServer } from 'node:http';
import Database from 'better-sqlite3';

/**
 * The lookup limit: only what GET /v1/call/{id} physically needs. The bearer key from a Map, one
 * prepared point lookup of the stored response bytes on a table of the same size (memory-mapped
 * I/O), and the write.
 */
const db = new Database(process.env.BENCH_LOOKUP_DB as string, { readonly: true });
db.pragma('mmap_size = 4294967296');
const find = db.prepare('SELECT body FROM bodies WHERE id = ?').pluck();
const keys = new Map([[`Bearer ${process.env.BENCH_KEY}`, 'project']]);
const notFound = Buffer.from('{"status":"error","error_code":"CALL_NOT_FOUND","message":"not found"}');
const port = Number(process.env.PORT);

createServer((req, res) => {
  if (!keys.has(req.headers.authorization ?? '')) {
    res.writeHead(401).end();
    return;
  }
  const body = find.get((req.url as string).slice(9)) as Buffer | undefined;
  res.writeHead(body ? 200 : 404, { 'content-type': 'application/json', 'content-length': (body ?? notFound).length });
  res.end(body ?? notFound);
}).listen(port, '127.0.0.1', () => process.stdout.write('ready\n'));

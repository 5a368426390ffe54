import { createServer } from 'node:http';

/** The ceiling: answers every request with the same static JSON body, as fast as node:http can. */
const body = Buffer.from(process.env.BENCH_BODY ?? '{}');
const port = Number(process.env.PORT);
createServer((_req, res) => {
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length });
  res.end(body);
}).listen(port, '127.0.0.1', () => process.stdout.write('ready\n'));

import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';

/**
 * Errors Node's HTTP parser meets before a request reaches Fastify (headers too large, a
 * malformed request line, a client too slow to send its headers): answered in Diga's envelope
 * with `Connection: close`, then the socket is closed, as Node itself would.
 */
export function clientErrorHandler(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  answerAndClose(socket, ...describe(error.code));
}

/** CONNECT never reaches Fastify (Node would drop the connection silently): a 405, then close. */
export function refuseConnect(_request: unknown, socket: Socket): void {
  answerAndClose(socket, 405, 'METHOD_NOT_ALLOWED', 'Method Not Allowed');
}

function answerAndClose(socket: Socket, status: number, errorCode: string, message: string): void {
  if (socket.writable) {
    const body = JSON.stringify({ status: 'error', error_code: errorCode, message });
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy();
}

function describe(code: string | undefined): [number, string, string] {
  switch (code) {
    case 'HPE_HEADER_OVERFLOW':
      return [431, 'HEADERS_TOO_LARGE', 'Request Header Fields Too Large'];
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return [408, 'REQUEST_TIMEOUT', 'The request was not received in time'];
    default:
      return [400, 'BAD_REQUEST', 'Bad Request'];
  }
}

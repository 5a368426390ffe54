import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { Socket } from 'node:net';

export interface ConnectionCaps {
  /** Connections open at once, all clients together. */
  max: number;
  /** ... and from any one client address. */
  perAddress: number;
}

/** File descriptors kept for everything but client connections: the store, logs, blobs, Node's own. */
const RESERVED_FDS = 64;
const MOST_CONNECTIONS = 4096;
const MOST_PER_ADDRESS = 256;

/**
 * The caps for a process, where not configured: at most 4,096 connections, and never so many that
 * the process runs out of file descriptors (a process out of them cannot accept even its health
 * check, nor open a file or a store connection), keeping 64 and the store's pool for the rest;
 * 256 per address, or a quarter of the total if that is less, so one address cannot take them all.
 * Behind a trusted proxy every connection comes from the proxy, which is left to cap its clients:
 * no cap per address unless one is configured.
 */
export function connectionCapsFor(
  configured: Partial<ConnectionCaps>,
  { poolSize, behindProxy, fdLimit = openFileLimit() }: { poolSize: number; behindProxy: boolean; fdLimit?: number },
): ConnectionCaps {
  const fromFds = fdLimit === undefined ? MOST_CONNECTIONS : fdLimit - RESERVED_FDS - poolSize;
  const max = configured.max ?? Math.max(1, Math.min(MOST_CONNECTIONS, fromFds));
  const perAddress =
    configured.perAddress ?? (behindProxy ? max : Math.max(1, Math.min(MOST_PER_ADDRESS, Math.floor(max / 4))));
  return { max, perAddress };
}

/** The soft limit on open files (`ulimit -n`), where the system says (Linux); else undefined. */
export function openFileLimit(): number | undefined {
  try {
    const line = /^Max open files\s+(\d+)/m.exec(readFileSync('/proc/self/limits', 'utf8'));
    return line?.[1] === undefined ? undefined : Number(line[1]);
  } catch {
    return undefined;
  }
}

/**
 * Holds `server` to `caps`: a connection over either cap is closed as soon as it is accepted,
 * before any byte of it is read. Node's own `maxConnections` holds the total; the count per
 * address is kept here.
 */
export function capConnections(server: Server, caps: ConnectionCaps): void {
  server.maxConnections = caps.max;
  const open = new Map<string, number>();
  // Ahead of the HTTP server's own listener, so a refused connection costs it nothing.
  server.prependListener('connection', (socket: Socket) => {
    const address = socket.remoteAddress ?? '';
    const count = open.get(address) ?? 0;
    if (count >= caps.perAddress) {
      socket.destroy();
      return;
    }
    open.set(address, count + 1);
    socket.once('close', () => {
      const left = (open.get(address) ?? 1) - 1;
      if (left === 0) open.delete(address);
      else open.set(address, left);
    });
  });
}

/**
 * Pre-framed WebSocket text messages for the fan-out (writeFramed is not called yet: see
 * Connection.sendFrame). `ws` frames every send anew: per send it builds
 * an options object, a header buffer, corks the socket, writes header and payload as two chunks and
 * uncorks (a writev). A board change goes to every public reader with the same bytes, so the fan-out
 * builds the whole frame (header + payload) once per reader class and writes that one buffer to each
 * socket: one plain write per client, no per-client allocation.
 *
 * ws has no public API for this, so writeFramed uses ws's socket only while ws's own sender is idle
 * and no extension changes the bytes on the wire (permessage-deflate; the server does not offer it);
 * otherwise it sends the payload through ws.send as before. Either way the bytes go into the same
 * net.Socket in call order, so ws.bufferedAmount (which reads that socket's queue) counts them and the
 * high-water rules of connection.ts apply unchanged. (`_socket`, `_sender` and `_extensions` are
 * internal to ws; its version is pinned and ws-frame.test.ts checks the internals are still there.)
 */
import type net from 'node:net';
import type { WebSocket } from 'ws';

/** An encoded server text message: its JSON bytes, and the complete unmasked frame built once on first use. */
export class TextFrame {
  private framed: Buffer | null = null;
  constructor(readonly payload: Buffer) {}

  /** FIN + opcode 1 (text), no mask (server to client), then the payload (RFC 6455 section 5.2). */
  get wire(): Buffer {
    if (this.framed) return this.framed;
    const n = this.payload.length;
    const head = n < 126 ? 2 : n < 65536 ? 4 : 10;
    const out = Buffer.allocUnsafe(head + n);
    out[0] = 0x81;
    if (n < 126) out[1] = n;
    else if (n < 65536) {
      out[1] = 126;
      out.writeUInt16BE(n, 2);
    } else {
      out[1] = 127;
      out.writeUInt32BE(Math.floor(n / 2 ** 32), 2);
      out.writeUInt32BE(n >>> 0, 6);
    }
    this.payload.copy(out, head);
    return (this.framed = out);
  }
}

interface WsInternals {
  _socket?: net.Socket | null;
  _sender?: { _state?: number; _queue?: unknown[]; _bufferedBytes?: number; _firstFragment?: boolean };
  _extensions?: Record<string, unknown>;
}

/** Whether `ws` can take a pre-framed buffer on its socket now (see the top of the file). */
export function canWriteFramed(ws: WebSocket): boolean {
  const w = ws as unknown as WsInternals;
  const s = w._sender;
  return (
    ws.readyState === ws.OPEN &&
    !!w._socket &&
    w._socket.writable &&
    !!s &&
    s._state === 0 &&
    s._queue?.length === 0 &&
    s._bufferedBytes === 0 &&
    s._firstFragment === true &&
    !!w._extensions &&
    Object.keys(w._extensions).length === 0
  );
}

/** Sends `f` on an open `ws`: the shared frame on its socket when ws is idle, else through ws.send. */
export function writeFramed(ws: WebSocket, f: TextFrame): void {
  if (canWriteFramed(ws)) (ws as unknown as WsInternals)._socket!.write(f.wire);
  else ws.send(f.payload, { binary: false });
}

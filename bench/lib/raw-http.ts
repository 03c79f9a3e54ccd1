/**
 * A minimal HTTP/1.1 client over node:net for the load generator: writes pre-built request
 * bytes on a keep-alive socket and parses one response at a time (Content-Length, chunked, or
 * close-delimited bodies). It costs far less CPU per request than node:http, so the generator
 * does not steal the server's share of the 2 cores. Reconnects when the server closes.
 */
import { connect } from 'node:net';
import type { Socket } from 'node:net';

export interface RawResponse {
  status: number;
  body: Buffer;
}

const HEADER_END = Buffer.from('\r\n\r\n');

export class RawConnection {
  private socket: Socket | undefined;
  private buffer: Buffer = Buffer.alloc(0);
  private waiting: { resolve: (r: RawResponse) => void; reject: (e: Error) => void } | undefined;
  private closeAfter = false;
  private ended = false;
  /** How many times a new TCP connection was opened (1 when keep-alive held throughout). */
  connects = 0;

  constructor(
    private readonly host: string,
    private readonly port: number,
  ) {}

  private open(): Promise<Socket> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host: this.host, port: this.port, noDelay: true });
      socket.once('connect', () => {
        socket.off('error', reject);
        socket.on('error', (error) => this.fail(error));
        resolve(socket);
      });
      socket.once('error', reject);
      socket.on('data', (chunk: Buffer) => this.onData(chunk));
      socket.on('close', () => {
        if (this.socket === socket) this.socket = undefined;
        this.ended = true;
        this.tryParse();
        if (this.waiting) this.fail(new Error('connection closed before a full response'));
      });
      this.connects++;
    });
  }

  /** Opens the connection now (when it is not open, or the server asked to close it). */
  async connect(): Promise<Socket> {
    if (!this.socket || this.closeAfter) {
      this.socket?.destroy();
      this.buffer = Buffer.alloc(0);
      this.closeAfter = false;
      this.ended = false;
      this.socket = await this.open();
    }
    return this.socket;
  }

  /** Sends one request (complete bytes, including headers) and resolves with its response. */
  async send(request: Buffer): Promise<RawResponse> {
    const socket = await this.connect();
    return new Promise<RawResponse>((resolve, reject) => {
      this.waiting = { resolve, reject };
      socket.write(request);
    });
  }

  close(): void {
    this.socket?.destroy();
    this.socket = undefined;
  }

  private fail(error: Error): void {
    const waiting = this.waiting;
    this.waiting = undefined;
    this.socket?.destroy();
    this.socket = undefined;
    waiting?.reject(error);
  }

  private onData(chunk: Buffer): void {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    this.tryParse();
  }

  private tryParse(): void {
    if (!this.waiting) return;
    const end = this.buffer.indexOf(HEADER_END);
    if (end < 0) return;
    const head = this.buffer.subarray(0, end).toString('latin1');
    const lines = head.split('\r\n');
    const statusLine = lines[0] ?? '';
    const status = Number(statusLine.split(' ')[1] ?? '0');
    let length: number | undefined;
    let chunked = false;
    let close = statusLine.startsWith('HTTP/1.0');
    for (let i = 1; i < lines.length; i++) {
      const line = lines[i] ?? '';
      const colon = line.indexOf(':');
      const name = line.slice(0, colon).trim().toLowerCase();
      const value = line.slice(colon + 1).trim().toLowerCase();
      if (name === 'content-length') length = Number(value);
      else if (name === 'transfer-encoding' && value.includes('chunked')) chunked = true;
      else if (name === 'connection') close = value === 'close' ? true : value === 'keep-alive' ? false : close;
    }
    const bodyStart = end + 4;
    let body: Buffer;
    let consumed: number;
    if (chunked) {
      const parsed = parseChunked(this.buffer, bodyStart);
      if (!parsed) return;
      ({ body, consumed } = parsed);
    } else if (length !== undefined) {
      if (this.buffer.length < bodyStart + length) return;
      body = this.buffer.subarray(bodyStart, bodyStart + length);
      consumed = bodyStart + length;
    } else {
      if (!this.ended) return; // close-delimited body
      body = this.buffer.subarray(bodyStart);
      consumed = this.buffer.length;
      close = true;
    }
    this.buffer = this.buffer.subarray(consumed);
    if (close) this.closeAfter = true;
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting.resolve({ status, body: Buffer.from(body) });
  }
}

function parseChunked(buffer: Buffer, start: number): { body: Buffer; consumed: number } | undefined {
  const parts: Buffer[] = [];
  let at = start;
  for (;;) {
    const lineEnd = buffer.indexOf('\r\n', at);
    if (lineEnd < 0) return undefined;
    const size = parseInt(buffer.subarray(at, lineEnd).toString('latin1'), 16);
    if (Number.isNaN(size)) throw new Error('bad chunk size');
    const dataStart = lineEnd + 2;
    if (size === 0) {
      const trailerEnd = buffer.indexOf(HEADER_END, lineEnd);
      if (buffer.subarray(dataStart, dataStart + 2).toString() === '\r\n') return { body: Buffer.concat(parts), consumed: dataStart + 2 };
      if (trailerEnd < 0) return undefined;
      return { body: Buffer.concat(parts), consumed: trailerEnd + 4 };
    }
    if (buffer.length < dataStart + size + 2) return undefined;
    parts.push(buffer.subarray(dataStart, dataStart + size));
    at = dataStart + size + 2;
  }
}

/** Builds the bytes of one HTTP/1.1 request. */
export function requestBytes(method: string, path: string, headers: Record<string, string>, body: string): Buffer {
  const payload = Buffer.from(body, 'utf8');
  let head = `${method} ${path} HTTP/1.1\r\n`;
  for (const [name, value] of Object.entries(headers)) {
    if (name.toLowerCase() === 'content-length') continue;
    head += `${name}: ${value}\r\n`;
  }
  head += `content-length: ${payload.length}\r\nconnection: keep-alive\r\n\r\n`;
  return Buffer.concat([Buffer.from(head, 'latin1'), payload]);
}

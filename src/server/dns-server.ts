/**
 * The VPC resolvers on the wire: a DNS server (RFC 1035, UDP and TCP with the 2-byte length
 * prefix, packets by the `dns-packet` library) listening on every VPC's resolver address
 * (127.53.x.y) on one port. Each query is answered for the VPC whose address it reached:
 * A records, NXDOMAIN, or REFUSED (no such VPC / DNS support off).
 */
import { createSocket } from 'node:dgram';
import type { Socket as UdpSocket } from 'node:dgram';
import { createServer } from 'node:net';
import type { Server as TcpServer, Socket } from 'node:net';
import dnsPacket from 'dns-packet';
import type { Answer, Packet, Question } from 'dns-packet';
import type { Resolution } from '../network/dns-resolver.js';
import type { Logger } from './logger.js';

export type DnsAnswerer = (resolverAddress: string, name: string) => Resolution;

const RCODES = { NOERROR: 0, NXDOMAIN: 3, REFUSED: 5, FORMERR: 1 } as const;
const TTL_SECONDS = 5;

interface Binding {
  udp: UdpSocket;
  tcp: TcpServer;
}

export class DnsServer {
  private readonly bindings = new Map<string, Binding>();
  private boundPort: number;
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly deps: { port: number; answer: DnsAnswerer; logger: Logger }) {
    this.boundPort = deps.port;
  }

  /** The port every resolver address listens on (known after the first bind when configured as 0). */
  get port(): number {
    return this.boundPort;
  }

  addresses(): string[] {
    return [...this.bindings.keys()];
  }

  /** Listens on exactly `addresses` (opens new ones, closes the rest); calls run one at a time. */
  sync(addresses: string[]): Promise<void> {
    const run = this.queue.then(() => this.syncNow(addresses));
    this.queue = run.catch(() => {});
    return run;
  }

  private async syncNow(addresses: string[]): Promise<void> {
    const wanted = new Set(addresses);
    for (const address of [...this.bindings.keys()]) if (!wanted.has(address)) await this.unbind(address);
    for (const address of wanted) {
      if (this.bindings.has(address)) continue;
      try {
        await this.bind(address);
      } catch (error) {
        this.deps.logger.error('dns: cannot listen on a VPC resolver address', {
          address: `${address}:${this.boundPort}`,
          error: error instanceof Error ? error.message : String(error),
        });
      }
    }
  }

  async close(): Promise<void> {
    await this.queue;
    for (const address of [...this.bindings.keys()]) await this.unbind(address);
  }

  respond(query: Buffer, resolverAddress: string): Buffer | undefined {
    let packet: Packet;
    try {
      packet = dnsPacket.decode(query);
    } catch {
      return undefined; // not a DNS message: drop it
    }
    const questions: Question[] = packet.questions ?? [];
    const answers: Answer[] = [];
    let rcode: number = RCODES.NOERROR;
    const question = questions[0];
    if (!question || questions.length !== 1) {
      rcode = RCODES.FORMERR;
    } else {
      const result = this.deps.answer(resolverAddress, question.name);
      if (result.rcode !== 'NOERROR') rcode = RCODES[result.rcode];
      else if (question.type === 'A' || (question.type as string) === 'ANY') {
        for (const address of result.addresses)
          answers.push({ type: 'A', name: question.name, class: 'IN', ttl: TTL_SECONDS, data: address });
      }
    }
    const flags = dnsPacket.RECURSION_AVAILABLE | ((packet.flags ?? 0) & dnsPacket.RECURSION_DESIRED) | rcode;
    return dnsPacket.encode({ type: 'response', id: packet.id ?? 0, flags, questions, answers });
  }

  private async bind(address: string): Promise<void> {
    const udp = createSocket({ type: 'udp4' });
    udp.on('message', (message, remote) => {
      const reply = this.respond(message, address);
      if (reply) udp.send(reply, remote.port, remote.address);
    });
    udp.on('error', (error) => this.deps.logger.warn('dns: udp socket error', { address, error: error.message }));
    await new Promise<void>((resolve, reject) => {
      udp.once('error', reject);
      udp.bind({ address, port: this.boundPort, exclusive: true }, () => {
        udp.off('error', reject);
        resolve();
      });
    });
    if (this.boundPort === 0) this.boundPort = udp.address().port;
    const tcp = createServer((socket) => this.serveTcp(socket, address));
    try {
      await new Promise<void>((resolve, reject) => {
        tcp.once('error', reject);
        tcp.listen(this.boundPort, address, () => {
          tcp.off('error', reject);
          resolve();
        });
      });
    } catch (error) {
      udp.close();
      throw error;
    }
    this.bindings.set(address, { udp, tcp });
    this.deps.logger.info('dns: VPC resolver listening', { address: `${address}:${this.boundPort}` });
  }

  private async unbind(address: string): Promise<void> {
    const binding = this.bindings.get(address);
    if (!binding) return;
    this.bindings.delete(address);
    await new Promise<void>((resolve) => binding.udp.close(() => resolve()));
    await new Promise<void>((resolve) => binding.tcp.close(() => resolve()));
  }

  private serveTcp(socket: Socket, address: string): void {
    let buffered = Buffer.alloc(0);
    socket.setTimeout(10_000, () => socket.destroy());
    socket.on('error', () => socket.destroy());
    socket.on('data', (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      while (buffered.length >= 2) {
        const length = buffered.readUInt16BE(0);
        if (buffered.length < 2 + length) break;
        const message = buffered.subarray(2, 2 + length);
        buffered = buffered.subarray(2 + length);
        const reply = this.respond(message, address);
        if (!reply) {
          socket.destroy();
          return;
        }
        const framed = Buffer.alloc(2 + reply.length);
        framed.writeUInt16BE(reply.length, 0);
        reply.copy(framed, 2);
        socket.write(framed);
      }
    });
  }
}

/**
 * The DNS port when none is configured: BATCHLINK_DNS_PORT, else 0 (any free port, shown in the
 * network map) when the gateway itself takes any free port (tests), else 53 as root, else 0.
 */
export function defaultDnsPort(gatewayPort: number | undefined): number {
  const fromEnv = process.env.BATCHLINK_DNS_PORT;
  if (fromEnv !== undefined && /^\d+$/.test(fromEnv)) return Number(fromEnv);
  if (gatewayPort === 0) return 0;
  return process.getuid?.() === 0 ? 53 : 0;
}

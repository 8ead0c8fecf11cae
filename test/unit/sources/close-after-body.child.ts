// The child process of close-after-body.test.ts: `reads` streamed reads of `mib` MiB through SourceReader and
// the production download (undici.request), from a server that sends the body and then closes the connection
// at once, read by a slow sink so that backpressure holds the body when the socket ends. One line per read:
// `done BYTES`, or `failed MESSAGE`. An error nobody can catch kills this process before it prints them all.
import net from 'node:net';
import { setImmediate as turn } from 'node:timers/promises';
import { undiciDownloadWith } from '../../../src/sources/download.js';
import { SourceReader } from '../../../src/sources/source.js';

const [reads = 10, mib = 4, turnsPerChunk = 4] = process.argv.slice(2).map(Number);
const size = mib * 2 ** 20;

const server = net.createServer((socket) => {
  socket.on('error', () => undefined); // a reader that gives up resets the connection
  socket.once('data', () => {
    socket.write(`HTTP/1.1 200 OK\r\nContent-Length: ${size}\r\nConnection: close\r\n\r\n`);
    const piece = Buffer.alloc(2 ** 20, 7);
    let sent = 0;
    const more = (): void => {
      while (sent < size) {
        const length = Math.min(piece.length, size - sent);
        sent += length;
        if (!socket.write(piece.subarray(0, length))) return void socket.once('drain', more);
      }
      socket.end(); // the FIN right behind the last byte
    };
    more();
  });
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const { port } = server.address() as net.AddressInfo;

const fetchUnused = () => Promise.reject(new Error('not used'));
const reader = new SourceReader(fetchUnused, { download: undiciDownloadWith(undefined) });
for (let read = 0; read < reads; read++) {
  try {
    const { stream } = await reader.open(`http://127.0.0.1:${port}/disk.raw`);
    let bytes = 0;
    for await (const chunk of stream as unknown as AsyncIterable<Uint8Array>) {
      bytes += chunk.byteLength;
      for (let i = 0; i < turnsPerChunk; i++) await turn(); // the slow sink
    }
    console.log(`done ${bytes}`);
  } catch (error) {
    console.log(`failed ${error instanceof Error ? error.message : String(error)}`);
  }
}
server.close();

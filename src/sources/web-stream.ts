import type { Readable } from 'node:stream';

/**
 * A Node stream as a web stream without copying its chunks (Readable.toWeb copies every Buffer), read ahead
 * up to 256 KiB; cancelling it destroys the Node stream.
 */
export function webStreamOf(source: Readable): ReadableStream<Uint8Array> {
  let open = true; // until the end, an error or a cancel: a chunk the Node stream still emits then is dropped
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        source.on('data', (chunk: Buffer) => {
          if (!open) return;
          controller.enqueue(chunk);
          if ((controller.desiredSize ?? 0) <= 0) source.pause();
        });
        source.once('end', () => {
          if (open) controller.close();
          open = false;
        });
        source.once('error', (error) => {
          if (open) controller.error(error);
          open = false;
        });
        source.pause();
      },
      pull() {
        source.resume();
      },
      cancel(reason) {
        open = false;
        source.destroy(reason instanceof Error ? reason : undefined);
      },
    },
    { highWaterMark: 2 ** 18, size: (chunk) => chunk.byteLength },
  );
}

/** The stream as it is, the running count of its bytes told to `tell` as each chunk passes. */
export function counted(stream: ReadableStream<Uint8Array>, tell: (sent: number) => void): ReadableStream<Uint8Array> {
  let sent = 0;
  return stream.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        sent += chunk.byteLength;
        tell(sent);
        controller.enqueue(chunk);
      },
    }),
  );
}

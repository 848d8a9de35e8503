import type { MultipartFile } from '@fastify/multipart';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppError } from './errors.js';

/**
 * Room for what surrounds a file in a multipart body (boundaries, part headers, the few small
 * fields an upload route allows). A request declaring more than its file limit plus this is
 * refused before a byte is read.
 */
export const FORM_OVERHEAD_BYTES = 64 * 1024;

/** True when the request's Content-Length alone says the file cannot fit in `fileLimit` bytes. */
export function declaresTooMuch(request: FastifyRequest, fileLimit: number): boolean {
  return Number(request.headers['content-length']) > fileLimit + FORM_OVERHEAD_BYTES;
}

/**
 * One file part read into memory, `onChunk` seeing each chunk as it streams in. Busboy passes at
 * most the plugin's `fileSize` limit and then signals 'limit'; left alone it would go on reading
 * (and dropping) the rest of the request, however long a chunked body runs. Destroying the part
 * with `tooLarge()` stops the parse, unpipes the request and rejects the read with that error.
 */
export async function readFilePart(part: MultipartFile, tooLarge: () => AppError, onChunk?: (chunk: Buffer) => void): Promise<Buffer> {
  part.file.once('limit', () => part.file.destroy(tooLarge()));
  const chunks: Buffer[] = [];
  for await (const chunk of part.file as AsyncIterable<Buffer>) {
    onChunk?.(chunk);
    chunks.push(chunk);
  }
  if (part.file.truncated) throw tooLarge();
  return Buffer.concat(chunks);
}

/**
 * Reads an upload with `read`; when it refuses one, the rest of the body is not worth reading: the
 * connection is closed after the answer (RFC 9110 §15.5.14) rather than a half-read request left
 * on a paused socket.
 */
export async function closingOnRefusal<T>(request: FastifyRequest, reply: FastifyReply, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if (!request.raw.readableEnded) reply.header('connection', 'close');
    throw error;
  }
}

import busboy from 'busboy';
import type { IncomingMessage } from 'node:http';
import { httpError } from '../platform/errors';

/** Said in the unit enforced: at most `max` bytes, `max` itself allowed (2 MiB = 2097152 bytes). */
const tooLarge = (max: number) =>
  httpError(413, 'PAYLOAD_TOO_LARGE', `The file must be at most ${+(max / 1024 / 1024).toFixed(2)} MiB (${max} bytes).`);
const malformed = () => httpError(400, 'BAD_MULTIPART', 'The multipart body is malformed or cut short.');

/**
 * The one file of a multipart/form-data request (what wx.uploadFile sends) in field `field`, read into
 * memory up to `maxBytes`. The client's file name and declared type are ignored. Anything else — no
 * file, another field holding a file, more than one file, too large — is refused before anything is stored.
 */
export function readOneFile(req: IncomingMessage, field: string, maxBytes: number): Promise<Buffer> {
  if (!/^multipart\/form-data\b/i.test(req.headers['content-type'] ?? '')) {
    return Promise.reject(httpError(415, 'UNSUPPORTED_MEDIA_TYPE', `Send the file as multipart/form-data in the field "${field}".`));
  }
  return new Promise((resolve, reject) => {
    let bb: busboy.Busboy;
    try {
      bb = busboy({ headers: req.headers, limits: { files: 1, fileSize: maxBytes + 1, fields: 20, fieldSize: 4096, parts: 21 } });
    } catch {
      return reject(malformed());
    }
    let file: Buffer | undefined;
    let failed = false;
    const fail = (err: Error) => {
      if (failed) return;
      failed = true;
      req.unpipe(bb);
      req.resume(); // let the rest of the body drain so the answer reaches the client
      reject(err);
    };
    bb.on('file', (name, stream) => {
      if (name !== field) {
        stream.resume();
        return fail(httpError(400, 'BAD_MULTIPART', `The file must be in the field "${field}".`));
      }
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      // busboy signals on reaching fileSize, so its limit is one above ours: exactly maxBytes is allowed
      stream.on('limit', () => fail(tooLarge(maxBytes)));
      // A form cut short errors the file stream itself: unheard, that error would end the process.
      stream.on('error', () => fail(malformed()));
      stream.on('end', () => {
        if (!failed) file = Buffer.concat(chunks);
      });
    });
    bb.on('filesLimit', () => fail(httpError(400, 'BAD_MULTIPART', 'Send one file only.')));
    bb.on('partsLimit', () => fail(httpError(400, 'BAD_MULTIPART', 'Too many parts in the form.')));
    bb.on('error', () => fail(malformed()));
    // The client went away mid-body: nobody will read the answer, but the promise must still settle.
    req.on('error', () => fail(malformed()));
    req.on('aborted', () => fail(malformed()));
    bb.on('close', () => {
      if (failed) return;
      if (!file || file.length === 0) return fail(httpError(400, 'BAD_MULTIPART', `No file in the field "${field}".`));
      resolve(file);
    });
    req.pipe(bb);
  });
}

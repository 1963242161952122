import busboy from 'busboy';
import type { IncomingMessage } from 'node:http';
import { httpError } from '../platform/errors';

const tooLarge = (max: number) => httpError(413, 'PAYLOAD_TOO_LARGE', `The file must be at most ${Math.round(max / 1024 / 1024)} MB.`);

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
      bb = busboy({ headers: req.headers, limits: { files: 1, fileSize: maxBytes, fields: 20, fieldSize: 4096, parts: 21 } });
    } catch {
      return reject(httpError(400, 'BAD_MULTIPART', 'The multipart body is malformed.'));
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
      stream.on('limit', () => fail(tooLarge(maxBytes)));
      stream.on('end', () => {
        if (!failed) file = Buffer.concat(chunks);
      });
    });
    bb.on('filesLimit', () => fail(httpError(400, 'BAD_MULTIPART', 'Send one file only.')));
    bb.on('partsLimit', () => fail(httpError(400, 'BAD_MULTIPART', 'Too many parts in the form.')));
    bb.on('error', () => fail(httpError(400, 'BAD_MULTIPART', 'The multipart body is malformed.')));
    bb.on('close', () => {
      if (failed) return;
      if (!file || file.length === 0) return fail(httpError(400, 'BAD_MULTIPART', `No file in the field "${field}".`));
      resolve(file);
    });
    req.pipe(bb);
  });
}

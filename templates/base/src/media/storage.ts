import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';

/** The URL path uploaded media are served under (nginx's `location /media/`, and the app in development). */
export const MEDIA_PATH = '/media/';

/** A stored file's name: 32 random hex digits and its type's extension. Nothing a client chose. */
export const MEDIA_NAME = /^[0-9a-f]{32}\.(png|jpg|webp)$/;

/**
 * Where uploaded files live. Local disk by default; an object-storage adapter (COS, OSS, S3) implements
 * the same three methods and returns its own public URL.
 */
export interface MediaStorage {
  /** Stores `bytes` under a new random name with this extension; returns the name. Never overwrites. */
  put(bytes: Buffer, ext: 'png' | 'jpg' | 'webp'): Promise<string>;
  /** Deletes a stored file; a file already gone is not an error. */
  delete(name: string): Promise<void>;
  /** The public URL clients and WeChat fetch the file from. */
  url(name: string): string;
}

/** Files in one folder (UPLOAD_DIR), served by nginx as PUBLIC_BASE_URL + /media/<name>. */
export class LocalDiskStorage implements MediaStorage {
  private ready: Promise<unknown> | undefined;

  constructor(
    readonly dir: string,
    private readonly publicBaseUrl: string,
  ) {}

  async put(bytes: Buffer, ext: 'png' | 'jpg' | 'webp'): Promise<string> {
    this.ready ??= fs.mkdir(this.dir, { recursive: true });
    await this.ready;
    const name = `${randomBytes(16).toString('hex')}.${ext}`;
    // 'wx': fail rather than replace, should a name ever repeat
    await fs.writeFile(this.file(name), bytes, { flag: 'wx', mode: 0o644 });
    return name;
  }

  async delete(name: string): Promise<void> {
    await fs.rm(this.file(name), { force: true });
  }

  url(name: string): string {
    return `${this.publicBaseUrl}${MEDIA_PATH}${name}`;
  }

  /** The path of a stored file; only names this storage makes, so nothing outside the folder. */
  file(name: string): string {
    if (!MEDIA_NAME.test(name)) throw new Error(`not a media file name: ${JSON.stringify(name)}`);
    return path.join(this.dir, name);
  }
}

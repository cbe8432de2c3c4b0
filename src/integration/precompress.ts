import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';

const gzipAsync = promisify(gzip);
const brotliAsync = promisify(brotliCompress);

/** Text types worth compressing; images and fonts are already compressed. */
const COMPRESSIBLE = /\.(html|css|js|mjs|json|svg|txt|xml|map|wasm)$/;
/** Below this, headers cost more than compression saves. */
const MIN_BYTES = 512;

async function* walk(dir: string): AsyncGenerator<string> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(path);
    else if (entry.isFile()) yield path;
  }
}

/** Writes `file.gz` and `file.br` next to every compressible file in `dir`. */
export async function precompressDirectory(dir: string): Promise<{ files: number }> {
  let files = 0;
  for await (const path of walk(dir)) {
    if (!COMPRESSIBLE.test(path)) continue;
    const body = await readFile(path);
    if (body.length < MIN_BYTES) continue;
    const [gz, br] = await Promise.all([
      gzipAsync(body, { level: 9 }),
      brotliAsync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }),
    ]);
    await Promise.all([writeFile(`${path}.gz`, gz), writeFile(`${path}.br`, br)]);
    files += 1;
  }
  return { files };
}

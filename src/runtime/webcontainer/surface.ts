/**
 * The slice of `@webcontainer/api` this backend uses, written out structurally.
 *
 * The adapter depends on this shape instead of the package, so unit tests can hand it a fake
 * (test/helpers/fake-webcontainer.ts) and `index.ts` type-checks that the real class fits it.
 */

export interface ContainerTree {
  [name: string]: { file: { contents: string } } | { directory: ContainerTree };
}

export interface ContainerProcess {
  readonly exit: Promise<number>;
  readonly input: WritableStream<string>;
  readonly output: ReadableStream<string>;
  kill(): void;
}

export interface ContainerSpawnOptions {
  cwd?: string;
  env?: Record<string, string | number | boolean>;
}

export interface ContainerFs {
  mkdir(path: string, options: { recursive: true }): Promise<string>;
  rm(path: string, options?: { force?: boolean; recursive?: boolean }): Promise<void>;
}

export interface Container {
  readonly fs: ContainerFs;
  mount(tree: ContainerTree, options?: { mountPoint?: string }): Promise<void>;
  spawn(
    command: string,
    args: string[],
    options?: ContainerSpawnOptions,
  ): Promise<ContainerProcess>;
  on(event: 'server-ready', listener: (port: number, url: string) => void): () => void;
  /** A port opened or closed by any process in the container. */
  on(
    event: 'port',
    listener: (port: number, type: 'open' | 'close', url: string) => void,
  ): () => void;
}

export interface ContainerBootOptions {
  coep?: 'require-corp' | 'credentialless' | 'none';
  workdirName?: string;
}

/** `WebContainer.boot`: may only succeed once per page. */
export type BootContainer = (options: ContainerBootOptions) => Promise<Container>;

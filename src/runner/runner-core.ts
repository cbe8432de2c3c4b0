import { SandboxDir, SandboxFullError, UnsafePathError } from './sandbox-dir.ts';
import { SandboxProcess, StdinFullError } from './sandbox-process.ts';
import { processInfo, SANDBOX_ENV, signalSandboxProcesses } from './cleanup.mjs';
import { INHERITED_ENV } from './sandbox-env.ts';
import { PreviewProxy, type PreviewProxyOptions } from './preview-proxy.ts';
import { PortRegistry } from './ports.ts';
import { Page } from './page.ts';
import { pathProblem, treeProblem } from './paths.ts';
import type { RunnerLimits } from './limits.ts';
import type { WebSocket } from 'ws';

/** A refusal the control API turns into an HTTP status and a readable message. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export interface SpawnRequest {
  command: string;
  args: string[];
  env: Record<string, string>;
  cwd?: string | undefined;
  extraPorts: number;
  deadlineMs?: number | undefined;
  expectsServer?: boolean | undefined;
  /** A lab id: its main process keeps one PORT on this page, previewed at `<site>.localhost`. */
  site?: string | undefined;
}

/** What the runner itself provides to the core. */
export interface RunnerHooks {
  /** The `node` binary sandbox processes run with. */
  nodeBinary: string;
  /** Records a new process group, so it can be ended even if the runner dies. */
  recordGroup(pgid: number, startTime: string): void;
}

const KEPT_PREVIEWS_PER_PAGE = 4;

/** The runner's state: pages, their sandboxes, processes, ports and previews. Transport-free. */
export class RunnerCore {
  private readonly pages = new Map<string, Page>();
  private readonly ports = new PortRegistry();
  private closing = false;
  /** Sandbox processes start after the runner; older processes are never looked at. */
  private readonly startedAfter = Number(processInfo(process.pid)?.startTime) || 0;

  constructor(
    private readonly root: string,
    readonly limits: RunnerLimits,
    private readonly log: (message: string) => void,
    private readonly hooks: RunnerHooks,
  ) {}

  connect(socket: WebSocket, reconnectTo: string | undefined): void {
    const existing = reconnectTo ? this.pages.get(reconnectTo) : undefined;
    const page = existing ?? new Page();
    this.pages.set(page.id, page);
    page.attach(socket);
    socket.on('close', () => {
      if (!page.detach(socket) || this.closing) return;
      page.graceTimer = setTimeout(() => void this.destroyPage(page), this.limits.pageGraceMs);
    });
  }

  page(id: unknown): Page {
    const page = typeof id === 'string' ? this.pages.get(id) : undefined;
    if (!page) throw new ApiError(404, 'unknown page; reconnect the event stream first');
    return page;
  }

  async mount(page: Page, files: unknown): Promise<void> {
    if (!isRecord(files)) throw new ApiError(400, '"files" must be an object of path -> text');
    const problem = treeProblem(files, this.limits);
    if (problem) throw new ApiError(400, problem);
    await this.withPathErrors(async () =>
      (await this.dirOf(page)).mount(files as Record<string, string>, this.limits),
    );
  }

  async spawn(page: Page, request: SpawnRequest): Promise<{ process: string; ports: number[] }> {
    if (this.closing) throw new ApiError(503, 'the runner is stopping');
    if (page.liveProcessCount() >= this.limits.maxProcessesPerPage)
      throw new ApiError(
        429,
        `at most ${this.limits.maxProcessesPerPage} processes may run per page`,
      );
    if (this.liveProcessCount() >= this.limits.maxProcessesTotal)
      throw new ApiError(429, `at most ${this.limits.maxProcessesTotal} processes may run at once`);
    const cwdProblem = request.cwd ? pathProblem(request.cwd, this.limits) : null;
    if (cwdProblem) throw new ApiError(400, `cwd: ${cwdProblem}`);
    const cwd = await this.withPathErrors(async () => (await this.dirOf(page)).folder(request.cwd));
    const ports: number[] = [await this.mainPort(page, request.site)];
    for (let i = 0; i < request.extraPorts; i++) ports.push(await this.ports.allocate());
    const [port, ...extra] = ports as [number, ...number[]];
    const env: Record<string, string> = {};
    for (const name of INHERITED_ENV) if (process.env[name]) env[name] = process.env[name]!;
    Object.assign(env, request.env, { PORT: String(port), HOST: '127.0.0.1' });
    if (extra.length) env['SVS_PORTS'] = extra.join(',');
    const id = page.newProcessId();
    const marker = `${(await this.dirOf(page)).root}#${id}`;
    env[SANDBOX_ENV] = marker;
    const expectsServer = request.expectsServer ?? !request.args.includes('--test');
    const deadlineMs =
      request.deadlineMs ??
      (expectsServer ? this.limits.serverDeadlineMs : this.limits.taskDeadlineMs);
    const child = new SandboxProcess({
      command: this.hooks.nodeBinary,
      args: request.args,
      marker,
      cwd,
      env,
      port,
      expectsServer,
      deadlineMs,
      maxOutputBytes: this.limits.maxOutputBytes,
      maxStdinBytes: this.limits.maxStdinBytes,
      readyHintMs: this.limits.readyHintMs,
      onGroup: (pgid, startTime) => this.hooks.recordGroup(pgid, startTime),
      onOutput: (data) => page.send({ type: 'output', process: id, data }),
      onReady: (readyPort) => {
        void this.previewFor(page, readyPort).then(
          (url) => page.send({ type: 'ready', process: id, port: readyPort, url }),
          (error: Error) => this.log(`preview proxy failed: ${error.message}`),
        );
      },
      onExit: (code) => {
        entry.alive = false;
        for (const p of ports) this.ports.release(p);
        page.send({ type: 'exit', process: id, code });
      },
    });
    const entry = { id, process: child, ports, alive: true, site: request.site };
    page.processes.set(id, entry);
    return { process: id, ports };
  }

  write(page: Page, processId: unknown, data: unknown): void {
    if (typeof data !== 'string') throw new ApiError(400, '"data" must be text');
    try {
      this.processOf(page, processId).process.write(data);
    } catch (error) {
      if (error instanceof StdinFullError) throw new ApiError(413, error.message);
      throw error;
    }
  }

  async kill(page: Page, processId: unknown): Promise<number> {
    return this.processOf(page, processId).process.kill();
  }

  /** The preview URL of a port this page's live process was given; any other port is refused. */
  async previewFor(page: Page, port: unknown): Promise<string> {
    if (typeof port !== 'number' || !page.ownsLivePort(port))
      throw new ApiError(403, 'the runner did not allocate this port to this page');
    const existing = page.previews.get(port);
    if (existing) return existing.url;
    const owner = [...page.processes.values()].find((entry) => entry.ports.includes(port))!;
    // Whichever process holds the port now: a lab's port (and so its preview) outlives restarts.
    const proxy = await this.startProxy({
      targetPort: port,
      isActive: () => page.ownsLivePort(port),
      timeoutMs: this.limits.previewTimeoutMs,
      site: owner.site,
    });
    page.previews.set(port, proxy);
    // Previews of stopped servers keep answering 502 for a while; old ones are let go.
    if (page.previews.size > KEPT_PREVIEWS_PER_PAGE) {
      const [oldestPort, oldest] = page.previews.entries().next().value!;
      page.previews.delete(oldestPort);
      void this.closeProxy(oldest);
    }
    return proxy.url;
  }

  /** Kills the page's processes and empties its sandbox; the page stays connected. */
  async teardown(page: Page): Promise<void> {
    await Promise.all([...page.processes.values()].map((entry) => entry.process.kill()));
    page.processes.clear();
    await Promise.all([...page.previews.values()].map((proxy) => this.closeProxy(proxy)));
    page.previews.clear();
    const dir = await page.dirPending;
    // Whatever still runs in the folder (a child that dropped the marker variable) goes too.
    if (dir)
      signalSandboxProcesses(
        { markerPrefix: `${dir.root}#`, folder: dir.root, startedAfter: this.startedAfter },
        'SIGKILL',
      );
    const problem = dir?.remove();
    if (problem) this.log(`could not delete ${dir!.root}: ${problem}`);
    page.dir = undefined;
    page.dirPending = undefined;
  }

  async destroyPage(page: Page): Promise<void> {
    this.pages.delete(page.id);
    clearTimeout(page.graceTimer);
    page.closeSocket();
    await this.teardown(page);
  }

  /** Safe to call from an exit handler: signals every process group and deletes every folder now. */
  stopEverythingSync(): void {
    this.closing = true;
    for (const page of this.pages.values())
      for (const entry of page.processes.values()) entry.process.killSync();
    // One look for everything of this runner that left its group, rather than one per process.
    const sandbox = { markerPrefix: `${this.root}/`, folder: this.root };
    signalSandboxProcesses({ ...sandbox, startedAfter: this.startedAfter }, 'SIGKILL');
    for (const page of this.pages.values()) {
      const problem = page.dir?.remove();
      if (problem) this.log(`could not delete ${page.dir!.root}: ${problem}`);
    }
  }

  async close(): Promise<void> {
    this.stopEverythingSync();
    await Promise.all([...this.pages.values()].map((page) => this.destroyPage(page)));
  }

  /**
   * A lab's main process gets the port it had last time on this page when nobody holds it, so its
   * preview keeps its origin (and its cookies and storage) across Stop, Run and restarts.
   */
  private async mainPort(page: Page, site: string | undefined): Promise<number> {
    const known = site === undefined ? undefined : page.sitePorts.get(site);
    if (known !== undefined && (await this.ports.claim(known))) return known;
    const port = await this.ports.allocate();
    if (site !== undefined) page.sitePorts.set(site, port);
    return port;
  }

  /** Proxy ports come from the same registry as sandbox ports, so the two can never collide. */
  private async startProxy(options: PreviewProxyOptions): Promise<PreviewProxy> {
    for (let attempt = 0; ; attempt++) {
      const port = await this.ports.allocate();
      try {
        return await PreviewProxy.start(port, options);
      } catch (error) {
        this.ports.release(port);
        if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || attempt >= 4) throw error;
      }
    }
  }

  private async closeProxy(proxy: PreviewProxy): Promise<void> {
    await proxy.close();
    this.ports.release(proxy.port);
  }

  private liveProcessCount(): number {
    let count = 0;
    for (const page of this.pages.values()) count += page.liveProcessCount();
    return count;
  }

  private processOf(page: Page, processId: unknown) {
    const entry = typeof processId === 'string' ? page.processes.get(processId) : undefined;
    if (!entry) throw new ApiError(404, 'unknown process');
    return entry;
  }

  private async dirOf(page: Page): Promise<SandboxDir> {
    // Concurrent first requests must share one folder, so the pending creation is remembered.
    page.dirPending ??= SandboxDir.create(this.root).then((dir) => (page.dir = dir));
    return page.dirPending;
  }

  private async withPathErrors<T>(action: () => Promise<T>): Promise<T> {
    try {
      return await action();
    } catch (error) {
      if (error instanceof UnsafePathError) throw new ApiError(400, error.message);
      if (error instanceof SandboxFullError) throw new ApiError(413, error.message);
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') throw new ApiError(404, 'no such file in the sandbox');
      if (code === 'ELOOP') throw new ApiError(400, 'the path is a symbolic link');
      if (code === 'EISDIR' || code === 'ENOTDIR') throw new ApiError(400, 'not a file');
      if (code === 'ENAMETOOLONG') throw new ApiError(400, 'a name in the path is too long');
      if (code === 'EACCES' || code === 'EPERM')
        throw new ApiError(
          409,
          'permission denied: sandbox code made part of the folder read-only; Reset the lab',
        );
      throw error;
    }
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

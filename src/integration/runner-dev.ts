/**
 * Attaches the local sandbox runner to `astro dev`, so lessons run on the local backend during
 * development exactly as under `npm start`: the control API as a middleware under /__runner/ and
 * the event stream on the dev server's WebSocket upgrades (Vite's HMR socket is left alone, it
 * only answers its own `vite-hmr` protocol).
 */
import type { AstroIntegration } from 'astro';
import type { AddressInfo } from 'node:net';
import { createRunner } from '../runner/index.ts';

export default function runnerDev(): AstroIntegration {
  return {
    name: 'svs-runner-dev',
    hooks: {
      'astro:server:setup': async ({ server, logger }) => {
        const httpServer = server.httpServer;
        if (!httpServer) return; // middleware mode: there is no loopback server to attach to
        const configuredPort = server.config.server.port ?? 4321;
        const runner = await createRunner({
          // The dev server may move to another port when 4321 is taken; read the real one.
          coursePort: () => (httpServer.address() as AddressInfo | null)?.port ?? configuredPort,
          log: (message) => logger.info(message),
        });
        server.middlewares.use((req, res, next) => {
          if (!runner.handle(req, res)) next();
        });
        httpServer.on('upgrade', (req, socket, head) => {
          runner.handleUpgrade(req, socket, head);
        });
        httpServer.on('close', () => void runner.close());
      },
    },
  };
}

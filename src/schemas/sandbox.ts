import { z } from 'zod';

/**
 * sandboxes/<id>/sandbox.json: what a lab is and how to run it. Pure zod, so the build, the grade
 * CLI and unit tests share one definition.
 */

/** Modules in sandboxes/_kit/ a lab may ask for; the check reporter is always mounted. */
export const kitModules = [
  'check-helpers',
  'balancer',
  'store',
  'store-client',
  'atomic-store',
] as const;
export type KitModule = (typeof kitModules)[number];
export const alwaysMountedKitModules = ['reporter'] as const;

/** A path inside the sandbox: relative, POSIX, no `..`, no NUL, not into the kit or the checks. */
const learnerPath = z
  .string()
  .min(1)
  .refine(
    (p) =>
      !p.startsWith('/') &&
      !p.includes('\\') &&
      !p.includes('\0') &&
      !/^[a-zA-Z]:/.test(p) &&
      p.split('/').every((part) => part !== '' && part !== '.' && part !== '..'),
    'use a relative path like "server.js" or "lib/store.js" (no "..", no leading "/")',
  );

export const sandboxSchema = z
  .object({
    title: z.string().trim().min(3).max(80),
    /** argv of the process the Run button starts; every lab runs under Node. */
    run: z
      .array(z.string().min(1))
      .min(2)
      .refine((argv) => argv[0] === 'node', 'the command must start with "node"'),
    /** Files shown in the editor first, in this order. */
    open: z.array(learnerPath).min(1),
    kit: z.array(z.enum(kitModules)).default([]),
    /** Draw the live topology view (multi-instance labs). */
    topology: z
      .object({
        instances: z.number().int().min(1).max(6),
        store: z.boolean().default(false),
      })
      .strict()
      .optional(),
    /** One hint per check, keyed by the check's exact test name. */
    hints: z.record(z.string().min(1), z.string().trim().min(10)),
    /** Optional numbered steps; each lists the exact names of the checks it turns green. */
    steps: z
      .array(
        z
          .object({
            title: z.string().trim().min(3).max(80),
            checks: z.array(z.string().min(1)).min(1),
          })
          .strict(),
      )
      .optional(),
  })
  .strict();

export type SandboxManifest = z.infer<typeof sandboxSchema>;

/** A readable, multi-line description of what is wrong with a manifest. */
export function describeManifestErrors(error: z.ZodError): string {
  return error.issues
    .map((issue) => `  - ${issue.path.length ? issue.path.join('.') : '(root)'}: ${issue.message}`)
    .join('\n');
}

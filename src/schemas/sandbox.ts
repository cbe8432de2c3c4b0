import { z } from 'zod';

/**
 * sandboxes/<id>/sandbox.json: what a lab is and how to run it. Pure zod, so the build, the grade
 * CLI and unit tests share one definition.
 */

/**
 * A kit module by name: `check-helpers` stands for sandboxes/_kit/check-helpers.mjs. Which names
 * exist is whatever files the kit folder holds (src/sandbox/load.ts checks), so a new kit module
 * needs no schema change.
 */
const kitModuleName = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]*$/, 'a kit module name like "check-helpers" (no folder, no ".mjs")');

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

/** Up to this many checks a lab may be one step; beyond it the lab must name its steps. */
export const MAX_CHECKS_WITHOUT_STEPS = 3;

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
    /** Kit modules the lab uses (the reporter and anything they import come with them). */
    kit: z.array(kitModuleName).default([]),
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
    /**
     * The lab's steps, in order, each naming the checks that prove it (by exact test name, as in
     * `hints`). The check panel groups its rows by step.
     */
    steps: z
      .array(
        z
          .object({
            title: z.string().trim().min(3).max(80),
            checks: z.array(z.string().min(1)).min(1),
          })
          .strict(),
      )
      .min(1)
      .optional(),
  })
  .strict()
  .superRefine((manifest, context) => {
    const checkCount = Object.keys(manifest.hints).length;
    if (!manifest.steps) {
      // A long list of checks with no order reads as a wall of red; steps say what to fix first.
      if (checkCount > MAX_CHECKS_WITHOUT_STEPS) {
        context.addIssue({
          code: 'custom',
          path: ['steps'],
          message: `a lab with ${checkCount} checks must be split into steps (more than ${MAX_CHECKS_WITHOUT_STEPS} checks need "steps")`,
        });
      }
      return;
    }
    // Every check belongs to exactly one step, so the panel never drops or repeats a row.
    const stepOf = new Map<string, number>();
    manifest.steps.forEach((step, stepIndex) => {
      step.checks.forEach((check, checkIndex) => {
        const path = ['steps', stepIndex, 'checks', checkIndex];
        if (!Object.hasOwn(manifest.hints, check)) {
          context.addIssue({
            code: 'custom',
            path,
            message: `"${check}" is not a check name (every check name is a key of "hints")`,
          });
        } else if (stepOf.has(check)) {
          context.addIssue({
            code: 'custom',
            path,
            message: `"${check}" is already in step ${stepOf.get(check)! + 1}; a check belongs to one step`,
          });
        } else {
          stepOf.set(check, stepIndex);
        }
      });
    });
    for (const check of Object.keys(manifest.hints)) {
      if (!stepOf.has(check)) {
        context.addIssue({
          code: 'custom',
          path: ['steps'],
          message: `the check "${check}" is in no step; add it to the step it proves`,
        });
      }
    }
  });

export type SandboxManifest = z.infer<typeof sandboxSchema>;

/** A readable, multi-line description of what is wrong with a manifest. */
export function describeManifestErrors(error: z.ZodError): string {
  return error.issues
    .map((issue) => `  - ${issue.path.length ? issue.path.join('.') : '(root)'}: ${issue.message}`)
    .join('\n');
}

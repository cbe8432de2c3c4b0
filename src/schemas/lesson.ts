import { z } from 'zod';
import { partIds, seedSectionIds } from './course.ts';

/**
 * Frontmatter of content/lessons/NN-slug.mdx. Pure zod (no Astro runtime) so unit tests and the
 * build-time cross-file checks can use it directly.
 */
export const lessonSchema = z
  .object({
    title: z.string().trim().min(3).max(80),
    /** One sentence for the outline, search results and the meta description. */
    description: z.string().trim().min(40).max(200),
    part: z.enum(partIds),
    /** Position in the course, unique across all lessons; also the NN in the file name. */
    order: z.number().int().min(0).max(99),
    /** Which sections of the source article this lesson covers (ids from src/schemas/course.ts). */
    seedSections: z.array(z.enum(seedSectionIds)).min(1),
    /** A folder under sandboxes/ holding this lesson's lab. */
    sandbox: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]*$/, 'use lowercase letters, digits and dashes')
      .optional(),
    minutes: z.number().int().min(1).max(120),
    objectives: z.array(z.string().trim().min(5)).min(1).max(8),
  })
  .strict();

export type LessonFrontmatter = z.infer<typeof lessonSchema>;

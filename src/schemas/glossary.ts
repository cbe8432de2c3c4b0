import { z } from 'zod';

/**
 * content/glossary/<id>.md: one term per file. The frontmatter names the term and where it is
 * taught; the body is the definition, in the course's own words. Pure zod, shared by the content
 * collection and the build-time cross-file checks.
 */
const termId = z
  .string()
  .regex(
    /^[a-z0-9]+(?:-[a-z0-9]+)*$/,
    'use lowercase words joined by dashes, like "sticky-session"',
  );

export const glossarySchema = z
  .object({
    /** How the term is written in a sentence ("sticky session"); the page shows it capitalised. */
    term: z.string().trim().min(2).max(60),
    /** Other spellings lessons use (plurals, abbreviations); the first use of any is linked. */
    aliases: z.array(z.string().trim().min(2).max(60)).default([]),
    /** Lesson slugs (file name without "NN-" and ".mdx") where the course teaches the term. */
    taughtIn: z.array(termId).min(1),
    /** Ids of related glossary entries. */
    related: z.array(termId).default([]),
    /** Leave automatic linking off for words too common to link on first use. */
    autolink: z.boolean().default(true),
  })
  .strict();

export type GlossaryFrontmatter = z.infer<typeof glossarySchema>;
export const GLOSSARY_ID = termId;

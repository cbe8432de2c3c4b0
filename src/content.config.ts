import { defineCollection } from 'astro:content';
import { glob } from 'astro/loaders';
import { glossarySchema } from './schemas/glossary.ts';
import { lessonSchema } from './schemas/lesson.ts';

export const collections = {
  lessons: defineCollection({
    loader: glob({ pattern: '[0-9][0-9]-*.mdx', base: './content/lessons' }),
    schema: lessonSchema,
  }),
  glossary: defineCollection({
    loader: glob({ pattern: '*.md', base: './content/glossary' }),
    schema: glossarySchema,
  }),
};

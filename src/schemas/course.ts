/**
 * The fixed vocabulary lessons are validated against: the course's parts and the sections of the
 * source article. Lessons name these ids in frontmatter; a typo fails the build.
 */

export const parts = [
  { id: 'start', title: 'Getting started' },
  { id: 'foundations', title: 'Stateful and stateless' },
  { id: 'trade-offs', title: 'The trade-offs, row by row' },
  { id: 'benefits', title: 'What each side buys you' },
  { id: 'capstone', title: 'Putting it together' },
] as const;

export type PartId = (typeof parts)[number]['id'];
export const partIds = parts.map((p) => p.id) as [PartId, ...PartId[]];

/** Sections of the source article, "Stateful vs. Stateless Architecture", in article order. */
export const seedSections = [
  { id: 'intro', title: 'Introduction' },
  { id: 'what-is-stateful', title: 'What is Stateful Architecture?' },
  { id: 'what-is-stateless', title: 'What is Stateless Architecture?' },
  { id: 'table-scalability', title: 'Table: Scalability' },
  { id: 'table-fault-tolerance', title: 'Table: Fault Tolerance' },
  { id: 'table-performance', title: 'Table: Performance' },
  { id: 'table-resource-usage', title: 'Table: Resource Usage' },
  { id: 'table-caching', title: 'Table: Caching Strategies' },
  { id: 'table-deployment', title: 'Table: Deployment Complexity' },
  { id: 'table-transactions', title: 'Table: Transaction Integrity' },
  { id: 'table-load-balancing', title: 'Table: Load Balancing' },
  { id: 'table-development', title: 'Table: Development Focus' },
  { id: 'benefits-stateful', title: 'Benefits of Stateful Architecture' },
  { id: 'benefits-stateless', title: 'Benefits of Stateless Architecture' },
] as const;

export type SeedSectionId = (typeof seedSections)[number]['id'];
export const seedSectionIds = seedSections.map((s) => s.id) as [SeedSectionId, ...SeedSectionId[]];

/**
 * The article's comparison table and its two benefit lists, in our own words, each with our
 * verdict. Pure data: the /table/ page renders it, and a unit test checks that every row points at
 * a section of the article some lesson covers.
 */
import type { SeedSectionId } from '../schemas/course.ts';

export type Verdict = 'holds' | 'caveat' | 'wrong';

export const verdictLabels: Record<Verdict, string> = {
  holds: 'Holds',
  caveat: 'Holds with a caveat',
  wrong: 'Wrong',
};

export interface TableRow {
  /** Stable id, used for anchors. */
  id: string;
  /** The table's parameter, or the benefit's name. */
  topic: string;
  /** The article section (src/schemas/course.ts) whose lesson tests the claim. */
  section: SeedSectionId;
  /** What the article says, paraphrased; benefit rows have only one side. */
  stateful?: string;
  stateless?: string;
  verdict: Verdict;
  /** One sentence: why that verdict. */
  why: string;
}

export const tableRows: TableRow[] = [
  {
    id: 'scalability',
    topic: 'Scalability',
    section: 'table-scalability',
    stateful: 'Scaling out means keeping session data in sync between servers.',
    stateless: 'Adding servers is straightforward.',
    verdict: 'caveat',
    why: 'Instances scale out once sessions leave process memory, but the shared store that now holds them has to scale too.',
  },
  {
    id: 'fault-tolerance',
    topic: 'Fault tolerance',
    section: 'table-fault-tolerance',
    stateful: "A failed server affects sessions, including other servers' sessions.",
    stateless: 'A failure only affects the requests in flight.',
    verdict: 'wrong',
    why: 'A dead instance loses only the sessions in its own memory, and a stateless design with a shared store fails everywhere at once when the store does.',
  },
  {
    id: 'performance',
    topic: 'Performance',
    section: 'table-performance',
    stateful: 'Session management may add latency.',
    stateless: 'Usually faster, with no session overhead.',
    verdict: 'wrong',
    why: 'Sessions in memory are the fastest option; a store adds a round trip, a token adds bytes and a signature check, and the ranking changes with store latency.',
  },
  {
    id: 'resource-usage',
    topic: 'Resource usage',
    section: 'table-resource-usage',
    stateful: 'Keeping session state costs more resources.',
    stateless: 'Uses resources efficiently without session state.',
    verdict: 'caveat',
    why: 'Memory per session is real but bounded by lazy sessions and expiry; tokens move the cost into bandwidth and CPU on every request.',
  },
  {
    id: 'caching',
    topic: 'Caching',
    section: 'table-caching',
    stateful: 'Session data can make caching complex.',
    stateless: 'Caching is simpler without session state.',
    verdict: 'caveat',
    why: 'What decides caching is whether a response is personal, not where sessions live: personal answers must be private in either design.',
  },
  {
    id: 'deployment',
    topic: 'Deployment',
    section: 'table-deployment',
    stateful: 'Deployment may be more complex because sessions must be kept in sync.',
    stateless: 'Easier to deploy and maintain.',
    verdict: 'caveat',
    why: 'Rolling restarts need graceful shutdown and readiness either way; in-memory sessions are lost, and token designs need key rotation.',
  },
  {
    id: 'transaction-integrity',
    topic: 'Transaction integrity',
    section: 'table-transactions',
    stateful: 'Session context keeps transactions intact.',
    stateless: 'Each request is isolated, so integrity holds per request.',
    verdict: 'wrong',
    why: 'A session gives no atomicity: idempotency keys and atomic operations where the data lives keep a checkout correct under retries and races.',
  },
  {
    id: 'load-balancing',
    topic: 'Load balancing',
    section: 'table-load-balancing',
    stateful: 'The balancer may need session affinity.',
    stateless: 'Balancing needs no thought about sessions.',
    verdict: 'caveat',
    why: 'Affinity follows from state kept inside instances, and stateless services still hash requests to backends to keep caches warm.',
  },
  {
    id: 'development',
    topic: 'Development focus',
    section: 'table-development',
    stateful: 'Developers must handle session problems.',
    stateless: 'Developers can focus on business logic.',
    verdict: 'wrong',
    why: 'Token designs trade session chores for expiry, refresh, revocation, clock skew and key rotation.',
  },
];

export const statefulBenefits: TableRow[] = [
  {
    id: 'session-persistence',
    topic: 'Session persistence',
    section: 'benefits-stateful',
    stateful: 'Progress carries across steps and devices.',
    verdict: 'caveat',
    why: 'Across steps, yes; across devices only for data keyed by the account, because a session belongs to one browser.',
  },
  {
    id: 'efficient-resource-use',
    topic: 'Efficient resource use',
    section: 'benefits-stateful',
    stateful: 'Data stays on the server instead of travelling with each request.',
    verdict: 'caveat',
    why: 'The cookie stays small, but the data is fetched from a store on every request.',
  },
  {
    id: 'personalisation',
    topic: 'Personalisation',
    section: 'benefits-stateful',
    stateful: 'Past interactions tailor what the user sees.',
    verdict: 'wrong',
    why: 'Personalisation comes from stored history keyed by the user, which a stateless server reads just as easily.',
  },
  {
    id: 'enhanced-security',
    topic: 'Enhanced security',
    section: 'benefits-stateful',
    stateful: 'Central session management supports strong authentication.',
    verdict: 'holds',
    why: 'A server that holds sessions can end any of them at once, including every session of one user.',
  },
];

export const statelessBenefits: TableRow[] = [
  {
    id: 'high-scalability',
    topic: 'High scalability',
    section: 'benefits-stateless',
    stateless: 'Handles many requests without managing sessions.',
    verdict: 'caveat',
    why: 'True for the instances; whatever must still be shared moves to a store that has to scale.',
  },
  {
    id: 'benefit-fault-tolerance',
    topic: 'Fault tolerance',
    section: 'benefits-stateless',
    stateless: 'Independent requests keep failures local.',
    verdict: 'caveat',
    why: 'An instance can die without losing anything, but a shared store or signing key fails for everyone.',
  },
  {
    id: 'simplified-load-balancing',
    topic: 'Simplified load balancing',
    section: 'benefits-stateless',
    stateless: 'Requests spread evenly without sticky sessions.',
    verdict: 'holds',
    why: 'Any instance can answer any request, so round-robin is enough.',
  },
  {
    id: 'better-performance',
    topic: 'Better performance',
    section: 'benefits-stateless',
    stateless: 'No session overhead means lower latency.',
    verdict: 'caveat',
    why: 'Revocation brings back a store lookup per request, and a token is larger than a session id.',
  },
];

// Types for protocol.mjs, so the course's TypeScript imports the kit's constants as literals.
export declare const CHECK_MARKER: '@@svs-check';
export declare const EVENT_MARKER: '@@svs-event';
export declare const MEASURE_MARKER: '@@svs-measure';
export declare const NONCE_ENV: 'SVS_CHECK_NONCE';

// Moved to src/server/shared/time.ts (day arithmetic for the whole app); kept as a re-export.
export * from '../shared/time.ts';

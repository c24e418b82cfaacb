// Moved to src/server/shared/paths.ts (every URL is built there); kept as a re-export.
export * from './shared/paths.ts';

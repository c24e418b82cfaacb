/**
 * The media capability's public face: image uploads, their renditions and their URLs
 * (docs/decisions/0040-media-uploads.md). Callers import from here, never the files behind it.
 */
export * from './media-store.ts';
export * from './media-urls.ts';
export * from './process-image.ts';
export * from './rules.ts';
export * from './sniff.ts';
export * from './upload-form.ts';

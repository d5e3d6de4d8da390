export * from './digest-file.js';
export * from './digest-stage.js';
export * from './public-keys.js';
export * from './signature.js';
export * from './signing-key.js';
export * from './trail.js';

/** The contract between the app and the worker: request schemas, response shapes, errors. */
export * from './chat';
export * from './errors';
export * from './health';
export * from './pairing';
export * from './transcribe';

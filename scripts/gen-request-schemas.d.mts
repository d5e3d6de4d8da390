// Types for scripts/gen-request-schemas.mjs, so that tests can import the generator.
export declare const DEFAULT_MODEL: string;
export declare const DEFAULT_OUT: string;
export declare function translatePattern(pattern: string, where: string): string;
export declare function buildRequestSchemas(model: unknown): Map<string, Record<string, unknown>>;
export declare function renderRequestSchemaFiles(modelPath?: string): Map<string, string>;

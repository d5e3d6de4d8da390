/** Options the template schema is compiled with (the same as src/render/template.ts used). */
export const TEMPLATE_AJV_OPTIONS: { allErrors: boolean; strict: boolean; allowUnionTypes: boolean };
/** The generated validator modules, by absolute path. */
export function generateValidators(): Promise<Map<string, string>>;

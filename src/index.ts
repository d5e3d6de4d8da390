// The library's public surface: what README.md, "As a library", documents, and nothing else.
export {
  generateLogFiles,
  records,
  renderRecord,
  type GenerateOptions,
  type RenderRecordOptions,
} from './library.js';
export { validateTree, type Finding, type ValidationReport } from './validate/validate-tree.js';
export { validateRecord, validateLogFile } from './schemas/validate.js';
export { DEVOPS_GURU_REGIONS } from './scenario/regions.js';
export { UsageError } from './errors.js';
export type { LogFile } from './layout/log-file.js';
export type { CloudTrailRecord } from './generated/cloudtrail-record.js';

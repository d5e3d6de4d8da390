export { generateLogFiles, renderRecord, type RenderRecordOptions } from './library.js';
export { resolveScenario, type Scenario, type ScenarioInput } from './scenario/scenario.js';
export { DEVOPS_GURU_REGIONS } from './scenario/regions.js';
export { prepare, renderWindowFiles, windowsOf, type Prepared } from './pipeline/generate.js';
export { runGenerate, type RunSummary, type FileStage } from './pipeline/run.js';
export { DirSink } from './sinks/dir.js';
export type { Sink, SinkObject } from './sinks/sink.js';
export type { LogFile } from './layout/log-file.js';
export {
  loadTemplates,
  defaultTemplateDir,
  TemplateError,
  type CompiledTemplate,
} from './render/template.js';
export { validateRecord, validateLogFile, validateDigest } from './schemas/validate.js';
export { UsageError } from './errors.js';
export {
  createDigestStage,
  deriveSigningKey,
  loadSigningKey,
  publicKeyList,
  signDigest,
  verifyDigestSignature,
  trailArn,
  type SigningKey,
  type PublicKeyList,
} from './digest/index.js';
export { validateTree, type Finding, type ValidationReport } from './validate/validate-tree.js';
export { Rng } from './random/rng.js';
export type * from './generated/index.js';

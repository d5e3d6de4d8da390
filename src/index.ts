export { generateLogFiles, renderRecord, type RenderRecordOptions } from './library.js';
export { resolveScenario, type Scenario, type ScenarioInput } from './scenario/scenario.js';
export { DEVOPS_GURU_REGIONS } from './scenario/regions.js';
export { prepare, renderWindowFiles, windowsOf, type Prepared } from './pipeline/generate.js';
export { buildRun, type Run, type RunOptions, type SampleOptions } from './pipeline/build-run.js';
export type { RunSummary, RunHooks, FileStage } from './pipeline/run.js';
export { DirSink } from './sinks/dir.js';
export type { Sink, SinkObject } from './sinks/sink.js';
export type { LogFile } from './layout/log-file.js';
export {
  loadTemplates,
  defaultTemplateDir,
  TemplateError,
  type CompiledTemplate,
} from './render/template.js';
export { validateRecord, validateLogFile, validateDigest } from './shared/schema-validator.js';
export { UsageError } from './shared/errors.js';
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
export { Rng } from './shared/rng.js';
export type * from './generated/index.js';
export { S3Sink, type S3SinkOptions } from './sinks/s3.js';
export { createS3Client } from './sinks/s3-client.js';
export { parseS3Url, type S3Location } from './sinks/s3-url.js';
export { DirectDirSink } from './sinks/direct-dir.js';
export { NotifyingSink, notificationOf } from './sinks/notifications.js';
export { recordLines, type LineFormat } from './pipeline/records.js';
export { toEventBridge } from './layout/eventbridge.js';
export { streamEvents, type StreamOptions, type StreamReport } from './pipeline/stream.js';
export { readGeneratedTree, uploadTree } from './pipeline/upload.js';
export { systemClock, type Clock } from './shared/clock.js';

/**
 * The commented scenario `trailsim init` writes, so that a user edits rather than looks up. Every
 * value is the default except those whose comment says "example" (and names the default); a test
 * holds it to the schema, to resolveScenario and to that claim. `schemaRef` is where the file
 * finds the schema shipped with trailsim, relative to the file, for editors that read the modeline.
 */
export function exampleScenario(schemaRef: string): string {
  return `# A trailsim scenario: everything a run needs. Every key is optional. Each value shown is the
# default, except where the comment says "example" (it then names the default). Flags given on the
# command line override this file.
#   trailsim generate --scenario scenario.yaml
# Field reference: docs/scenarios.md in the trailsim package; schema: schemas/scenario.schema.json
# in the trailsim package (the line below points editors at it).
# yaml-language-server: $schema=${schemaRef}

# Same scenario and seed, same bytes.
seed: 1

# The simulated period: ISO 8601 with a zone, or a date (midnight UTC). end is exclusive and
# defaults to start + 1 day.
start: 2026-11-02T00:00:00Z
end: 2026-11-03T00:00:00Z

# Exact number of records written over the period.
events: 5000
# rate: 50 # records per second, for trailsim stream (real-time delivery); not used by generate

# AWS accounts; with organizationTrail the keys carry the organization ID.
accounts: 3
organizationTrail: false

# Regions where calls happen: a list, or "all" (every Region where the service runs).
# An example: the default is all.
regions: [us-east-1, eu-west-1]

# Share of calls per userIdentity type (relative weights; a type left out gets none).
identityMix:
  AssumedRole: 66
  IAMUser: 24
  FederatedUser: 4
  Root: 1
  AWSService: 5

# Share of calls that fail with one of their operation's error codes, 0 to 1.
errorRate: 0.04

# Relative frequency by eventName, replacing the template's weight; 0 turns one off.
# An example: by default each template's own weight applies (trailsim operations lists them).
operationWeights:
  ListInsights: 10
  DescribeInsight: 8

# CloudTrail eventVersion of the records. Quote it: unquoted, YAML reads 1.08 as a number.
eventVersion: "1.08"

# How activity rises and falls: the working day (in each account's time zone) and the week.
curve:
  dailyAmplitude: 0.9 # 0 = flat day, 1 = silent nights
  weekendFactor: 0.12 # weekend activity relative to a weekday
  automationShare: 0.3 # share of calls from automation, around the clock
  bursts: true # more calls for two hours after an insight opens

# The trail that delivers the logs.
trail:
  name: management-events
  bucket: aws-cloudtrail-logs-trailsim
  prefix: "" # S3 key prefix before AWSLogs/
  homeRegion: us-east-1

# Signed digest files, one per account, Region and hour.
digests: true

# Extra template folders (relative to this file), adding or overriding operations.
templates: []

# gzip level of the log files, 1 (fast) to 9 (small).
gzipLevel: 6

# Edge cases injected on purpose and labelled in the manifest (docs/edge-cases.md): a profile
# (realistic, hostile) and cases with a count or a rate, e.g.
#   profile: realistic
#   cases: { late-file: { count: 2, hours: 3 }, zero-byte: { count: 1 } }
# None: a perfect delivery.
edgeCases: {}

# Incidents woven into the run and labelled in trailsim-labels.jsonl (docs/incidents.md): default
# (every playbook once), or requests such as
#   - { playbook: leaked-access-key, at: "2026-11-01T02:40:00Z" }
#   - { playbook: runaway-automation, count: 2 }
incidents: []

# Where the run goes. An example: without it, out/ in the working folder.
output:
  out: out # a folder relative to this file, s3://bucket/prefix, or - (JSON lines on stdout)
  force: false # replace an earlier trailsim run there
`;
}

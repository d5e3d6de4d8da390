#!/usr/bin/env bash
# Submits one array job of N children; AWS Batch gives each AWS_BATCH_JOB_ARRAY_INDEX (0..N-1),
# which `--shard auto/N` reads; the parameter shard=auto/N and the array size are the same N.
# The image is examples/container/Dockerfile, pushed to the ECR repository job-definition.json names.
# Usage: examples/aws-batch/submit.sh <job-queue> [N]
set -euo pipefail
queue=${1:?usage: submit.sh <job-queue> [N]}
n=${2:-8}
here=$(cd "$(dirname "$0")" && pwd)
aws batch register-job-definition --cli-input-json "file://$here/job-definition.json" >/dev/null
aws batch submit-job \
  --job-name trailsim-week \
  --job-queue "$queue" \
  --job-definition trailsim-shard \
  --array-properties "size=$n" \
  --parameters "shard=auto/$n"

import type { Rng } from '../shared/rng.js';

/**
 * CI systems that deploy to AWS, as CloudTrail sees them: a role named for the system, and role
 * sessions named the way the system's credential step names them (see `sessionNameAt` for the
 * placeholders). Runners are Linux.
 */
export interface CiSystem {
  name: string;
  /** Role names a team would give the deploy role of this system. */
  roleNames: readonly string[];
  /** The session name its credential step writes, drawn once per role. */
  sessionName: (rng: Rng) => string;
}

export const CI_SYSTEMS: readonly CiSystem[] = [
  {
    // aws-actions/configure-aws-credentials: `role-session-name` defaults to GitHubActions.
    // https://github.com/aws-actions/configure-aws-credentials
    name: 'GitHub Actions',
    roleNames: ['github-actions-deploy', 'GitHubActionsDeployRole', 'gha-oidc-deploy'],
    sessionName: () => 'GitHubActions',
  },
  {
    // GitLab's OIDC guide: --role-session-name "GitLabRunner-${CI_PROJECT_ID}-${CI_PIPELINE_ID}".
    // https://docs.gitlab.com/ci/cloud_services/aws/
    name: 'GitLab CI',
    roleNames: ['gitlab-ci-deploy', 'GitLabRunnerDeployRole', 'gitlab-oidc-deploy'],
    sessionName: (rng) => `GitLabRunner-${rng.int(10_000_000, 79_999_999)}-{pipeline}`,
  },
  {
    // Buildkite's aws-assume-role-with-web-identity plugin: role-session-name defaults to
    // buildkite-job-${BUILDKITE_JOB_ID}.
    // https://buildkite.com/resources/plugins/buildkite-plugins/aws-assume-role-with-web-identity-buildkite-plugin
    name: 'Buildkite',
    roleNames: ['buildkite-deploy', 'BuildkiteDeployRole', 'buildkite-agent-deploy'],
    sessionName: () => 'buildkite-job-{uuid}',
  },
];

/**
 * A CI deploy role of `system` (drawn when not given): a role name that names the system, and the
 * session name its credential step writes.
 *
 * @example ciRole(rng, CI_SYSTEMS[0]) // { roleName: 'github-actions-deploy', sessionName: 'GitHubActions' }
 */
export function ciRole(
  rng: Rng,
  system: CiSystem = rng.pick(CI_SYSTEMS),
): { roleName: string; sessionName: string } {
  return { roleName: rng.pick(system.roleNames), sessionName: system.sessionName(rng) };
}

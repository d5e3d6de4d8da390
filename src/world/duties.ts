/**
 * What each kind of automation does with DevOps Guru, as lists of operations. This is world data,
 * like names and IP ranges: the engine only filters the templates by it and never branches on an
 * operation. A list may name operations that no template defines (a user's own template folder may
 * drop some); those are ignored.
 */

/** What Terraform and CloudFormation read to refresh DevOps Guru resources, and the writes of an apply. */
export const CONFIGURATION_OPERATIONS: readonly string[] = [
  'DescribeServiceIntegration',
  'DescribeEventSourcesConfig',
  'GetResourceCollection',
  'ListNotificationChannels',
  'UpdateServiceIntegration',
  'UpdateEventSourcesConfig',
  'UpdateResourceCollection',
  'AddNotificationChannel',
  'RemoveNotificationChannel',
];

/** What a CI deploy role runs: configuration refreshes and a post-deploy health check. */
export const CI_OPERATIONS: readonly string[] = [
  ...CONFIGURATION_OPERATIONS,
  'DescribeAccountHealth',
  'ListInsights',
  'DescribeResourceCollectionHealth',
  'StartCostEstimation',
  'GetCostEstimation',
];

/** What an insight exporter (Lambda to Slack, to a ticketing system) reads. */
export const EXPORTER_OPERATIONS: readonly string[] = [
  'ListInsights',
  'DescribeInsight',
  'ListAnomaliesForInsight',
  'DescribeAnomaly',
  'ListRecommendations',
  'ListEvents',
];

/** What a dashboard or monitoring bot reads. */
export const DASHBOARD_OPERATIONS: readonly string[] = [
  'DescribeAccountHealth',
  'DescribeAccountOverview',
  'DescribeResourceCollectionHealth',
  'ListInsights',
  'SearchInsights',
  'ListMonitoredResources',
];

/** What an organization-wide report reads from the management or delegated administrator account. */
export const ORGANIZATION_REPORT_OPERATIONS: readonly string[] = [
  'DescribeOrganizationHealth',
  'DescribeOrganizationOverview',
  'DescribeOrganizationResourceCollectionHealth',
  'ListOrganizationInsights',
  'SearchOrganizationInsights',
];

/**
 * What the DevOps Guru console's dashboard loads when a person opens it, in order, before they click
 * into insights, anomalies and recommendations.
 */
export const CONSOLE_OPENING: readonly string[] = [
  'DescribeAccountHealth',
  'DescribeAccountOverview',
  'ListInsights',
];

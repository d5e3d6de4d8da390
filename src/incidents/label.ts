/** The side file that lists a run's incidents, one JSON line each, next to the manifest. */
export const LABELS_NAME = 'trailsim-labels.jsonl';

/** An actor of an incident as its records show it. */
export interface IncidentActorLabel {
  role: string;
  type: string;
  arn: string;
  /** The long-term or session access key ID the records carry, if any. */
  accessKeyId: string | null;
  sourceIPAddresses: string[];
  userAgents: string[];
  /** What is new about the actor: a role created for the incident, a network, a user agent. */
  brought: string[];
}

/** One line of trailsim-labels.jsonl: an incident and the eventIDs of its records. */
export interface IncidentLabel {
  id: string;
  playbook: string;
  title: string;
  malicious: boolean;
  /** MITRE ATT&CK technique IDs. */
  techniques: string[];
  accountId: string;
  regions: string[];
  actors: IncidentActorLabel[];
  /** eventTime of its first and last record, ISO 8601. */
  start: string;
  end: string;
  records: number;
  /** Records that failed, by error code. */
  errors: Record<string, number>;
  /** What it changed in the world, one line each (a channel removed, …). */
  changes: string[];
  eventIDs: string[];
}

/** What a run says of its incidents in the manifest (the labels themselves are in LABELS_NAME). */
export interface IncidentReport {
  labels: string;
  incidents: number;
  records: number;
  byPlaybook: Record<string, number>;
}

/** The labels file's text: one JSON object a line, in incident order. */
export function labelsText(labels: readonly IncidentLabel[]): string {
  return labels.map((l) => `${JSON.stringify(l)}\n`).join('');
}

/** The manifest's summary of the labels. */
export function incidentReport(labels: readonly IncidentLabel[]): IncidentReport {
  const byPlaybook: Record<string, number> = {};
  for (const l of labels) byPlaybook[l.playbook] = (byPlaybook[l.playbook] ?? 0) + 1;
  return {
    labels: LABELS_NAME,
    incidents: labels.length,
    records: labels.reduce((n, l) => n + l.records, 0),
    byPlaybook,
  };
}

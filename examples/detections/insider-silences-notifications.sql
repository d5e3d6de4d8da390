-- Monitoring silenced: the same identity removes a notification channel and turns the OpsCenter
-- integration off within an hour (ATT&CK T1562.001).
WITH removed AS (
  SELECT principal, recipientaccountid, eventtime, eventid FROM cloudtrail
  WHERE eventname = 'RemoveNotificationChannel' AND errorcode IS NULL
), disabled AS (
  SELECT principal, recipientaccountid, eventtime, eventid FROM cloudtrail
  WHERE eventname = 'UpdateServiceIntegration' AND errorcode IS NULL
    AND json_extract_string(requestparameters, '$.ServiceIntegration.OpsCenter.OptInStatus') = 'DISABLED'
)
SELECT r.principal, r.recipientaccountid, r.eventtime AS removed_at,
       [r.eventid, d.eventid] AS eventids
FROM removed r JOIN disabled d
  ON r.principal = d.principal AND r.recipientaccountid = d.recipientaccountid
 AND abs(epoch(d.eventtime) - epoch(r.eventtime)) <= 3600
ORDER BY removed_at;

-- The root user changes DevOps Guru's configuration (ATT&CK T1078.004): a call that is not
-- read-only, made as root. Root reading a dashboard is flagged by account-wide rules; a change is
-- what this one is for.
SELECT recipientaccountid, eventtime, eventname, sourceipaddress, [eventid] AS eventids
FROM cloudtrail
WHERE identitytype = 'Root' AND NOT readonly
ORDER BY eventtime;

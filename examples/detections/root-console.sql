-- The root user changes DevOps Guru's configuration (ATT&CK T1078.004): notification channels,
-- the resource collection, integrations, event sources, insights. Root reading a dashboard or
-- giving feedback is left to account-wide rules; a change of what is monitored is what this is for.
SELECT recipientaccountid, eventtime, eventname, sourceipaddress, [eventid] AS eventids
FROM cloudtrail
WHERE identitytype = 'Root' AND errorcode IS NULL
  AND eventname IN ('AddNotificationChannel', 'RemoveNotificationChannel', 'UpdateResourceCollection',
                    'UpdateServiceIntegration', 'UpdateEventSourcesConfig', 'DeleteInsight')
ORDER BY eventtime;

-- Insights sent out of the organization (ATT&CK T1537): a notification channel added whose SNS
-- topic belongs to an account the trail has never seen.
WITH accounts AS (SELECT DISTINCT recipientaccountid AS account FROM cloudtrail)
SELECT recipientaccountid, eventtime, principal,
       json_extract_string(requestparameters, '$.Config.Sns.TopicArn') AS topic, [eventid] AS eventids
FROM cloudtrail
WHERE eventname = 'AddNotificationChannel' AND errorcode IS NULL
  AND split_part(json_extract_string(requestparameters, '$.Config.Sns.TopicArn'), ':', 5) NOT IN (SELECT account FROM accounts)
ORDER BY eventtime;

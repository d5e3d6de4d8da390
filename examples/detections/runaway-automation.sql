-- A runaway loop: one identity throttled 50 times or more within ten minutes.
SELECT principal, time_bucket(INTERVAL 10 MINUTE, eventtime) AS bucket,
       count(*) AS throttled, list(eventid ORDER BY eventtime) AS eventids
FROM cloudtrail
WHERE errorcode = 'ThrottlingException'
GROUP BY principal, bucket
HAVING count(*) >= 50
ORDER BY bucket;

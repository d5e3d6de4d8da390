-- A key tried across many Regions: one identity calls DevOps Guru in five or more Regions within an
-- hour and is denied at least five times (ATT&CK T1526, T1535). Teams use two or three Regions.
SELECT principal, date_trunc('hour', eventtime) AS hour,
       count(DISTINCT awsregion) AS regions,
       count(*) FILTER (WHERE errorcode = 'AccessDeniedException') AS denied,
       list(eventid ORDER BY eventtime) AS eventids
FROM cloudtrail
WHERE eventsource = 'devops-guru.amazonaws.com'
GROUP BY principal, hour
HAVING count(DISTINCT awsregion) >= 5 AND denied >= 5
ORDER BY hour;

-- A long-term key tried across many Regions: calls signed with one IAM user's access key (AKIA…)
-- reach DevOps Guru in eight or more Regions within an hour and are denied at least five times
-- (ATT&CK T1078.004, T1526, T1535). A person may look at a handful of Regions in an hour;
-- roles' keys are ASIA….
SELECT principal, accesskeyid, date_trunc('hour', eventtime) AS hour,
       count(DISTINCT awsregion) AS regions,
       count(*) FILTER (WHERE errorcode = 'AccessDeniedException') AS denied,
       list(eventid ORDER BY eventtime) AS eventids
FROM cloudtrail
WHERE eventsource = 'devops-guru.amazonaws.com' AND accesskeyid LIKE 'AKIA%'
GROUP BY principal, accesskeyid, hour
HAVING count(DISTINCT awsregion) >= 8 AND denied >= 5
ORDER BY hour;

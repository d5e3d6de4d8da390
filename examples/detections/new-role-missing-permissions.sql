-- A new identity that starts denied: its first five DevOps Guru calls in the trail are all
-- AccessDenied, and later calls succeed (a permission added after deployment).
WITH calls AS (
  SELECT principal, eventid, eventtime, errorcode,
         row_number() OVER (PARTITION BY principal ORDER BY eventtime, eventid) AS n
  FROM cloudtrail
  WHERE eventsource = 'devops-guru.amazonaws.com'
)
SELECT principal,
       min(eventtime) AS first_seen,
       min(eventtime) FILTER (WHERE errorcode IS NULL) AS first_success,
       list(eventid ORDER BY eventtime) FILTER (WHERE n <= 5 OR errorcode IS NULL) AS eventids
FROM calls
GROUP BY principal
HAVING count(*) FILTER (WHERE n <= 5 AND errorcode = 'AccessDeniedException') = 5
   AND count(*) FILTER (WHERE errorcode IS NULL) > 0
ORDER BY first_seen;

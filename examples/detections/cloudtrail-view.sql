-- The generated tree as a table, the way Athena's CloudTrail table shows it: one row per record,
-- the columns detections use. Run in DuckDB from the tree's folder (or SET file_search_path).
CREATE OR REPLACE VIEW cloudtrail AS
SELECT
  r->>'eventID' AS eventid,
  CAST(r->>'eventTime' AS TIMESTAMP) AS eventtime,
  r->>'eventSource' AS eventsource,
  r->>'eventName' AS eventname,
  r->>'awsRegion' AS awsregion,
  r->>'sourceIPAddress' AS sourceipaddress,
  r->>'userAgent' AS useragent,
  r->>'errorCode' AS errorcode,
  CAST(r->>'readOnly' AS BOOLEAN) AS readonly,
  r->>'recipientAccountId' AS recipientaccountid,
  r->'userIdentity'->>'type' AS identitytype,
  r->'userIdentity'->>'arn' AS arn,
  r->'userIdentity'->>'accessKeyId' AS accesskeyid,
  coalesce(r->'userIdentity'->'sessionContext'->'sessionIssuer'->>'arn', r->'userIdentity'->>'arn') AS principal,
  r->'requestParameters' AS requestparameters
FROM (
  SELECT unnest(Records) AS r
  FROM read_json('AWSLogs/**/*_CloudTrail_*.json.gz', columns = {Records: 'JSON[]'})
);

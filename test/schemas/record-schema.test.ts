import { describe, expect, it } from 'vitest';
import { validateDigest, validateLogFile, validateRecord } from '../../src/shared/schema-validator.js';

/** A copy with one change, made by a mutator on a deep clone. */
// Broken variants reach into fixtures by path and write values their types forbid, on purpose.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function variant<T>(value: T, mutate: (copy: any) => void): T {
  const copy = structuredClone(value);
  mutate(copy);
  return copy;
}

// reference/cloudtrail.md §2.2: AWS's error record example (an IAM user's console session
// credential used from the CLI), verbatim except eventID: the docs replace its last characters
// with EXAMPLE, and real eventIDs are lowercase UUID v4 (§11.3).
const DOC_EVENT_ID = '694d604a-d190-4470-8dd1-EXAMPLEe20c1';
const iamUserErrorRecord = {
  eventVersion: '1.09',
  userIdentity: {
    type: 'IAMUser',
    principalId: 'AIDA6ON6E4XEGIEXAMPLE',
    arn: 'arn:aws:iam::111122223333:user/Terry',
    accountId: '111122223333',
    accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
    userName: 'Terry',
    sessionContext: { attributes: { creationDate: '2023-07-19T21:11:57Z', mfaAuthenticated: 'false' } },
  },
  eventTime: '2023-07-19T21:35:03Z',
  eventSource: 'cloudtrail.amazonaws.com',
  eventName: 'UpdateTrail',
  awsRegion: 'us-east-1',
  sourceIPAddress: '192.0.2.0',
  userAgent:
    'aws-cli/2.13.0 Python/3.11.4 Linux/4.14.255-314-253.539.amzn2.x86_64 exec-env/CloudShell exe/x86_64.amzn.2 prompt/off command/cloudtrail.update-trail',
  errorCode: 'TrailNotFoundException',
  errorMessage:
    'Unknown trail: arn:aws:cloudtrail:us-east-1:111122223333:trail/myTrail2 for the user: 111122223333',
  requestParameters: { name: 'myTrail2', isMultiRegionTrail: true },
  responseElements: null,
  requestID: '28d2faaf-3319-4649-998d-EXAMPLE72818',
  eventID: '694d604a-d190-4470-8dd1-4f0be7ae20c1',
  readOnly: false,
  eventType: 'AwsApiCall',
  managementEvent: true,
  recipientAccountId: '111122223333',
  eventCategory: 'Management',
  tlsDetails: {
    tlsVersion: 'TLSv1.2',
    cipherSuite: 'ECDHE-RSA-AES128-GCM-SHA256',
    clientProvidedHostHeader: 'cloudtrail.us-east-1.amazonaws.com',
  },
  sessionCredentialFromConsole: 'true',
};

// Built like reference/devops-guru/example-record.json, with the identifiers a real AssumedRole
// session has (the sample's are placeholders: an AKIA key and an AIDA issuer).
const assumedRoleRecord = {
  eventVersion: '1.08',
  userIdentity: {
    type: 'AssumedRole',
    principalId: 'AROAY4FZQ7LKPH3NE5MXC:TestSession',
    arn: 'arn:aws:sts::123456789012:assumed-role/TestRole/TestSession',
    accountId: '123456789012',
    accessKeyId: 'ASIAY4FZQ7LKBD2W6R5T',
    sessionContext: {
      sessionIssuer: {
        type: 'Role',
        principalId: 'AROAY4FZQ7LKPH3NE5MXC',
        arn: 'arn:aws:iam::123456789012:role/ops/TestRole',
        accountId: '123456789012',
        userName: 'TestRole',
      },
      webIdFederationData: {},
      attributes: { mfaAuthenticated: 'false', creationDate: '2020-12-01T15:29:51Z' },
    },
  },
  eventTime: '2020-12-01T16:14:31Z',
  eventSource: 'devops-guru.amazonaws.com',
  eventName: 'UpdateResourceCollection',
  awsRegion: 'us-east-1',
  sourceIPAddress: '198.51.100.23',
  userAgent:
    'aws-internal/3 aws-sdk-java/1.11.901 Linux/4.9.217-0.3.ac.206.84.332.metal1.x86_64 OpenJDK_64-Bit_Server_VM/25.275-b01 java/1.8.0_275 vendor/Oracle_Corporation',
  requestParameters: { Action: 'REMOVE', ResourceCollection: { CloudFormation: { StackNames: ['*'] } } },
  responseElements: null,
  requestID: 'cb8c167e-3e5b-4f4a-9d3e-2a6c0f1b7d44',
  eventID: 'e3c6f4ce-8a1d-4b7e-b0c2-5f9d3a6e1c88',
  readOnly: false,
  eventType: 'AwsApiCall',
  managementEvent: true,
  eventCategory: 'Management',
  recipientAccountId: '123456789012',
  tlsDetails: {
    tlsVersion: 'TLSv1.2',
    cipherSuite: 'ECDHE-RSA-AES128-GCM-SHA256',
    clientProvidedHostHeader: 'devops-guru.us-east-1.amazonaws.com',
  },
};

const UUID_V4 = '^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$';
const TIMESTAMP = '^\\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\\d|3[01])T(?:[01]\\d|2[0-3]):[0-5]\\d:[0-5]\\dZ$';

describe('cloudtrail-record schema: accepts real shapes', () => {
  it('accepts the AWS documentation IAMUser error record', () => {
    expect(validateRecord(iamUserErrorRecord)).toEqual([]);
  });

  it('rejects the documentation record verbatim only for its placeholder eventID', () => {
    const verbatim = variant(iamUserErrorRecord, (r) => (r.eventID = DOC_EVENT_ID));
    expect(validateRecord(verbatim)).toEqual([`/eventID: must match pattern "${UUID_V4}"`]);
  });

  it('accepts an AssumedRole DevOps Guru record with AROA/ASIA identifiers', () => {
    expect(assumedRoleRecord.userIdentity.principalId.split(':')[0]).toHaveLength(21);
    expect(assumedRoleRecord.userIdentity.accessKeyId).toHaveLength(20);
    expect(validateRecord(assumedRoleRecord)).toEqual([]);
  });

  it('accepts the other identity shapes CloudTrail writes', () => {
    const identities = [
      {
        type: 'IAMUser',
        principalId: 'AIDA6ON6E4XEGIEXAMPLE',
        arn: 'arn:aws:iam::111122223333:user/division/Terry',
        accountId: '111122223333',
        accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
        userName: 'Terry',
      },
      {
        type: 'Root',
        principalId: '111122223333',
        arn: 'arn:aws:iam::111122223333:root',
        accountId: '111122223333',
        accessKeyId: 'ASIAY4FZQ7LKBD2W6R5T',
        sessionContext: {
          sessionIssuer: {},
          webIdFederationData: {},
          attributes: { creationDate: '2023-07-19T21:11:57Z', mfaAuthenticated: 'true' },
        },
      },
      {
        type: 'FederatedUser',
        principalId: '111122223333:builder',
        arn: 'arn:aws:sts::111122223333:federated-user/builder',
        accountId: '111122223333',
        accessKeyId: 'ASIAY4FZQ7LKBD2W6R5T',
        sessionContext: {
          sessionIssuer: {
            type: 'IAMUser',
            principalId: 'AIDA6ON6E4XEGIEXAMPLE',
            arn: 'arn:aws:iam::111122223333:user/Terry',
            accountId: '111122223333',
            userName: 'Terry',
          },
          webIdFederationData: {},
          attributes: { creationDate: '2023-07-19T21:11:57Z', mfaAuthenticated: 'false' },
        },
      },
      { type: 'AWSService', invokedBy: 'cloudformation.amazonaws.com' },
      { type: 'AWSAccount', principalId: 'AIDA6ON6E4XEGIEXAMPLE', accountId: '444455556666' },
      {
        type: 'IdentityCenterUser',
        accountId: '123456789012',
        onBehalfOf: {
          userId: '544894e8-80c1-707f-60e3-3ba6510dfac1',
          identityStoreArn: 'arn:aws:identitystore::123456789012:identitystore/d-9067642ac7',
        },
        credentialId: 'EXAMPLEVHULjJdTUdPJfofVa1sufHDoj7aYcOYcxFVllWR_Whr1fEXAMPLE',
      },
      {
        type: 'WebIdentityUser',
        principalId: 'accounts.google.com:application-id.apps.googleusercontent.com:user-id',
        userName: 'user-id',
        identityProvider: 'accounts.google.com',
      },
      { accountId: '111122223333', invokedBy: 'AWS Internal' },
    ];
    for (const userIdentity of identities) {
      const record = variant(iamUserErrorRecord, (r) => {
        r.userIdentity = userIdentity;
        delete r.sessionCredentialFromConsole;
      });
      expect({ type: userIdentity.type, errors: validateRecord(record) }).toEqual({
        type: userIdentity.type,
        errors: [],
      });
    }
  });
});

describe('cloudtrail-record schema: rejects broken records, naming the fault', () => {
  const cases: [string, object, string[]][] = [
    [
      'AssumedRole signed with a long-term AKIA key',
      variant(assumedRoleRecord, (r) => (r.userIdentity.accessKeyId = 'AKIAIOSFODNN7EXAMPLE')),
      ['/userIdentity/accessKeyId: must match pattern "^ASIA[A-Z0-9]{16}$"'],
    ],
    [
      'AssumedRole issuer given an IAM user ID',
      variant(
        assumedRoleRecord,
        (r) => (r.userIdentity.sessionContext.sessionIssuer.principalId = 'AIDACKCEVSQ6C2EXAMPLE'),
      ),
      ['/userIdentity/sessionContext/sessionIssuer/principalId: must match pattern "^AROA[A-Z0-9]{17}$"'],
    ],
    [
      'IAMUser console session with a filled sessionIssuer',
      variant(iamUserErrorRecord, (r) => {
        r.userIdentity.sessionContext.sessionIssuer = { type: 'IAMUser' };
      }),
      ['/userIdentity/sessionContext/sessionIssuer/type: is not allowed here'],
    ],
    [
      'IAMUser without a session using a temporary key',
      variant(iamUserErrorRecord, (r) => {
        delete r.userIdentity.sessionContext;
        delete r.sessionCredentialFromConsole;
        r.userIdentity.accessKeyId = 'ASIAY4FZQ7LKBD2W6R5T';
      }),
      ['/userIdentity/accessKeyId: must match pattern "^AKIA[A-Z0-9]{16}$"'],
    ],
    ['missing eventID', variant(iamUserErrorRecord, (r) => delete r.eventID), ['/eventID: is required']],
    [
      'eventTime with milliseconds',
      variant(iamUserErrorRecord, (r) => (r.eventTime = '2023-07-19T21:35:03.123Z')),
      [`/eventTime: must match pattern "${TIMESTAMP}"`],
    ],
    [
      'eventTime on a day that does not exist',
      variant(iamUserErrorRecord, (r) => (r.eventTime = '2023-02-30T21:35:03Z')),
      ['/eventTime: must match format "date-time"'],
    ],
    [
      'sessionCredentialFromConsole "false" (CloudTrail omits the field instead)',
      variant(iamUserErrorRecord, (r) => (r.sessionCredentialFromConsole = 'false')),
      ['/sessionCredentialFromConsole: must be "true"'],
    ],
    [
      'mfaAuthenticated as a boolean',
      variant(iamUserErrorRecord, (r) => (r.userIdentity.sessionContext.attributes.mfaAuthenticated = false)),
      ['/userIdentity/sessionContext/attributes/mfaAuthenticated: must be one of "true", "false"'],
    ],
    [
      'an unknown top-level key (eventContext exists only in CloudTrail Lake)',
      variant(iamUserErrorRecord, (r) => (r.eventContext = {})),
      ['/eventContext: is not allowed here'],
    ],
    [
      'Root with a userName',
      variant(assumedRoleRecord, (r) => {
        r.userIdentity = {
          type: 'Root',
          principalId: '123456789012',
          arn: 'arn:aws:iam::123456789012:root',
          accountId: '123456789012',
          accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
          userName: 'my-alias',
        };
      }),
      ['/userIdentity/userName: is not allowed here'],
    ],
    [
      'AWSService with an arn',
      variant(assumedRoleRecord, (r) => {
        r.userIdentity = {
          type: 'AWSService',
          invokedBy: 'cloudformation.amazonaws.com',
          arn: 'arn:aws:iam::123456789012:role/x',
        };
      }),
      ['/userIdentity/arn: is not allowed here'],
    ],
    [
      'a userIdentity that is not an object',
      variant(
        assumedRoleRecord,
        (r) => (r.userIdentity = 'arn:aws:sts::123456789012:assumed-role/TestRole/TestSession'),
      ),
      ['/userIdentity: must be object'],
    ],
    [
      'a type-less userIdentity that is not a service event identity',
      variant(assumedRoleRecord, (r) => delete r.userIdentity.type),
      [
        '/userIdentity/invokedBy: is required',
        '/userIdentity/principalId: is not allowed here',
        '/userIdentity/arn: is not allowed here',
        '/userIdentity/accessKeyId: is not allowed here',
        '/userIdentity/sessionContext: is not allowed here',
      ],
    ],
    [
      'a userIdentity type CloudTrail does not have',
      variant(assumedRoleRecord, (r) => (r.userIdentity.type = 'ServiceRole')),
      ['/userIdentity: value of tag "type" must be in oneOf'],
    ],
    [
      'eventVersion without the leading zero',
      variant(assumedRoleRecord, (r) => (r.eventVersion = '1.8')),
      ['/eventVersion: must match pattern "^1\\.(?:0|0[1-9]|1[01])$"'],
    ],
    [
      'tlsDetails in a record older than 1.08',
      variant(assumedRoleRecord, (r) => (r.eventVersion = '1.07')),
      ['/tlsDetails: is not allowed here'],
    ],
    [
      'tlsDetails with a key CloudTrail does not write',
      variant(assumedRoleRecord, (r) => (r.tlsDetails.serverName = 'x')),
      ['/tlsDetails/serverName: is not allowed here'],
    ],
    [
      'a management event marked managementEvent false',
      variant(assumedRoleRecord, (r) => (r.managementEvent = false)),
      ['/managementEvent: must be true'],
    ],
    [
      'a current record without eventCategory',
      variant(assumedRoleRecord, (r) => delete r.eventCategory),
      ['/eventCategory: is required'],
    ],
    [
      'errorMessage without errorCode',
      variant(iamUserErrorRecord, (r) => delete r.errorCode),
      ['/errorMessage: requires errorCode'],
    ],
    [
      'recipientAccountId that is not 12 digits',
      variant(assumedRoleRecord, (r) => (r.recipientAccountId = '12345678901')),
      ['/recipientAccountId: must match pattern "^\\d{12}$"'],
    ],
  ];

  it.each(cases)('%s', (_name, record, expected) => {
    expect(validateRecord(record)).toEqual(expected);
  });
});

describe('log-file schema', () => {
  it('accepts a Records wrapper of valid records', () => {
    expect(validateLogFile({ Records: [iamUserErrorRecord, assumedRoleRecord] })).toEqual([]);
  });

  it('rejects an empty Records array, another top-level key and a bad record inside', () => {
    expect(validateLogFile({ Records: [] })).toEqual(['/Records: must NOT have fewer than 1 items']);
    expect(validateLogFile({ Records: [assumedRoleRecord], Digest: true })).toEqual([
      '/Digest: is not allowed here',
    ]);
    const broken = variant(assumedRoleRecord, (r) => delete r.eventID);
    expect(validateLogFile({ Records: [assumedRoleRecord, broken] })).toEqual([
      '/Records/1/eventID: is required',
    ]);
  });
});

// reference/cloudtrail.md §5 example; the docs shorten the signature, here it has its full 512 hex.
const signature = `50887ccffad4c002b97caa37cc9dc626e3c6${'0123456789abcdef'.repeat(30).slice(0, 471)}6328a`;
const digest = {
  awsAccountId: '111122223333',
  digestStartTime: '2015-08-17T14:01:31Z',
  digestEndTime: '2015-08-17T15:01:31Z',
  digestS3Bucket: 'S3-bucket-name',
  digestS3Object:
    'AWSLogs/111122223333/CloudTrail-Digest/us-east-2/2015/08/17/111122223333_CloudTrail-Digest_us-east-2_your-trail-name_us-east-2_20150817T150131Z.json.gz',
  digestPublicKeyFingerprint: '31e8b5433410dfb61a9dc45cc65b22ff',
  digestSignatureAlgorithm: 'SHA256withRSA',
  newestEventTime: '2015-08-17T14:52:27Z',
  oldestEventTime: '2015-08-17T14:42:27Z',
  previousDigestS3Bucket: 'S3-bucket-name',
  previousDigestS3Object:
    'AWSLogs/111122223333/CloudTrail-Digest/us-east-2/2015/08/17/111122223333_CloudTrail-Digest_us-east-2_your-trail-name_us-east-2_20150817T140131Z.json.gz',
  previousDigestHashValue: '97fb791cf91ffc440d274f8190dbdd9aa09c34432aba82739df18b6d3c13df2d',
  previousDigestHashAlgorithm: 'SHA-256',
  previousDigestSignature: signature,
  logFiles: [
    {
      s3Bucket: 'S3-bucket-name',
      s3Object:
        'AWSLogs/111122223333/CloudTrail/us-east-2/2015/08/17/111122223333_CloudTrail_us-east-2_20150817T1445Z_9nYN7gp2eWAJHIfT.json.gz',
      hashValue: '9bb6196fc6b84d6f075a56548feca262bd99ba3c2de41b618e5b6e22c1fc71f6',
      hashAlgorithm: 'SHA-256',
      newestEventTime: '2015-08-17T14:52:27Z',
      oldestEventTime: '2015-08-17T14:42:27Z',
    },
  ],
};

describe('digest-file schema', () => {
  it('accepts the AWS documentation digest', () => {
    expect(signature).toMatch(/^[0-9a-f]{512}$/);
    expect(validateDigest(digest)).toEqual([]);
  });

  it('accepts a starting digest of a quiet hour', () => {
    const starting = variant(digest, (d) => {
      for (const key of ['S3Bucket', 'S3Object', 'HashValue', 'HashAlgorithm', 'Signature']) {
        d[`previousDigest${key}`] = null;
      }
      d.logFiles = [];
      d.newestEventTime = null;
      d.oldestEventTime = null;
    });
    expect(validateDigest(starting)).toEqual([]);
  });

  const cases: [string, object, string[]][] = [
    [
      'a missing field',
      variant(digest, (d) => delete d.digestPublicKeyFingerprint),
      ['/digestPublicKeyFingerprint: is required'],
    ],
    [
      'an extra field',
      variant(digest, (d) => (d.signature = signature)),
      ['/signature: is not allowed here'],
    ],
    [
      'a log file hash in upper case',
      variant(digest, (d) => (d.logFiles[0].hashValue = d.logFiles[0].hashValue.toUpperCase())),
      ['/logFiles/0/hashValue: must match pattern "^[0-9a-f]{64}$"'],
    ],
    [
      'a log file key outside the CloudTrail layout',
      variant(
        digest,
        (d) => (d.logFiles[0].s3Object = 'AWSLogs/111122223333/CloudTrail/us-east-2/log.json.gz'),
      ),
      [expect.stringMatching(/^\/logFiles\/0\/s3Object: must match pattern /)],
    ],
    [
      'a truncated previous signature',
      variant(digest, (d) => (d.previousDigestSignature = '50887ccffad4c002b97caa37cc9dc626e3c6')),
      [expect.stringMatching(/^\/previousDigestSignature: must match pattern /)],
    ],
    [
      'a chain half broken: null signature, previous key kept',
      variant(digest, (d) => (d.previousDigestSignature = null)),
      [
        '/previousDigestS3Bucket: must be null',
        '/previousDigestS3Object: must be null',
        '/previousDigestHashValue: must be null',
        '/previousDigestHashAlgorithm: must be null',
      ],
    ],
    [
      'event times set on an empty hour',
      variant(digest, (d) => (d.logFiles = [])),
      ['/newestEventTime: must be null', '/oldestEventTime: must be null'],
    ],
    [
      'null event times although log files are listed',
      variant(digest, (d) => (d.newestEventTime = null)),
      ['/newestEventTime: must be string'],
    ],
    [
      'another signature algorithm',
      variant(digest, (d) => (d.digestSignatureAlgorithm = 'SHA1withRSA')),
      ['/digestSignatureAlgorithm: must be "SHA256withRSA"'],
    ],
  ];

  it.each(cases)('rejects %s', (_name, body, expected) => {
    expect(validateDigest(body)).toEqual(expected);
  });
});
